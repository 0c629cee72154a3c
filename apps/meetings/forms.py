"""Input from the browser for network meetings: the coordinator's planning forms and the ambassador's answers."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.meetings.models import MAX_INVITE_DAYS, Invitation, MeetingSeries
from apps.visits.models import Ambassador


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        # A date input takes ISO dates only, whatever the language formats dates as (Danish: 6.12.2026).
        super().__init__(attrs, format=format)


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DateInput)
    start = forms.TimeField(label=gettext_lazy("Starts at"), widget=TimeInput)
    end = forms.TimeField(label=gettext_lazy("Ends at"), widget=TimeInput)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=200, required=False)
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"),
        help_text=gettext_lazy("One item per line."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The meeting must end after it starts."))
        if data.get("date") and data.get("start"):
            data["starts_at"] = _aware(data["date"], data["start"])
            if data["starts_at"] <= timezone.now():
                self.add_error("date", _("Choose a time in the future."))
        if data.get("date") and data.get("end"):
            data["ends_at"] = _aware(data["date"], data["end"])
        return data

    def meeting_fields(self) -> dict:
        """The fields `meeting_create` takes."""
        data = self.cleaned_data
        return {key: data[key] for key in ("title", "starts_at", "ends_at", "place", "theme", "agenda")}


def _aware(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _invite_days_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("Invite this many days before"),
        min_value=1,
        max_value=MAX_INVITE_DAYS,
        initial=14,
        help_text=gettext_lazy("The area's active ambassadors are invited automatically, by SMS or e-mail."),
    )


def _ends_on_field() -> forms.DateField:
    return forms.DateField(
        label=gettext_lazy("Last day of the series"),
        widget=DateInput,
        required=False,
        help_text=gettext_lazy("Leave empty for a series that goes on until you end it."),
    )


def _not_in_the_past(day):
    if day is not None and day < timezone.localdate():
        raise forms.ValidationError(_("Choose today or a later date."))
    return day


class SeriesForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    nth = forms.TypedChoiceField(
        label=gettext_lazy("Which one in the month"), choices=MeetingSeries.Nth.choices, coerce=int
    )
    weekday = forms.TypedChoiceField(label=gettext_lazy("Weekday"), choices=MeetingSeries.Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=gettext_lazy("Starts at"), widget=TimeInput)
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"), min_value=15, max_value=600, initial=120
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    invite_days_before = _invite_days_field()
    ends_on = _ends_on_field()

    def clean_ends_on(self):
        return _not_in_the_past(self.cleaned_data["ends_on"])


class SeriesEditForm(forms.Form):
    """What can change once a series runs: its rhythm stays, as its meetings are planned from it."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    invite_days_before = _invite_days_field()
    ends_on = _ends_on_field()

    def __init__(self, *args, series: MeetingSeries, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": series.title,
                "place": series.place,
                "invite_days_before": series.invite_days_before,
                "ends_on": series.ends_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.series = series

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        # An end already passed may stay as it is; a new one cannot be in the past.
        return ends_on if ends_on == self.series.ends_on else _not_in_the_past(ends_on)


class SeriesEndForm(forms.Form):
    ends_on = forms.DateField(
        label=gettext_lazy("Last day of the series"),
        widget=DateInput,
        help_text=gettext_lazy("Meetings after this day are cancelled, and the ambassadors invited to them are told."),
    )

    def clean_ends_on(self):
        return _not_in_the_past(self.cleaned_data["ends_on"])


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Will you come?"),
        choices=[(value, label) for value, label in Invitation.Answer.choices if value != Invitation.Answer.NONE],
    )


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Suggest something for the agenda"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    """One big checkbox per invited ambassador; the coordinator ticks who came (on a phone, in the room)."""

    present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Who came?"),
        queryset=Invitation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = invitations
        field.label_from_instance = lambda invitation: invitation.ambassador.user.full_name


class MinutesForm(forms.Form):
    markdown = forms.CharField(
        label=gettext_lazy("Text of the minutes"),
        help_text=gettext_lazy("Markdown: **bold**, lists with “- ”, headings with “## ”."),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What is to be done"), max_length=300)
    owner = forms.ModelChoiceField(label=gettext_lazy("Who"), queryset=Ambassador.objects.none(), required=False)
    owner_name = forms.CharField(
        label=gettext_lazy("Or someone else"),
        help_text=gettext_lazy("For a coordinator or a board member, who are not ambassadors."),
        max_length=200,
        required=False,
    )
    due_date = forms.DateField(label=gettext_lazy("By when"), widget=DateInput, required=False)

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].empty_label = _("Nobody in particular")
        field = self.fields["owner"]
        field.queryset = (
            Ambassador.objects.filter(area=area).active().select_related("user").order_by("user__full_name")
        )
        field.label_from_instance = lambda ambassador: ambassador.user.full_name
