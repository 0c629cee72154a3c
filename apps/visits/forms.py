"""Input from the browser for visits, ambassador profiles, assignment and activities.

The attempt form is the ambassador's: few fields, big targets, and the only free text is what the
newcomer asked staff to contact them about.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Literal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.images import image_check, image_read
from apps.organisation.models import Area, Entrance, Estate, Tenancy
from apps.visits.models import (
    LANGUAGE_CHOICES,
    Activity,
    Ambassador,
    Attempt,
    LaterContact,
    SupportConversation,
    Training,
    Visit,
    language_name,
)
from apps.visits.services import PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS, PhoneClock

# Milliseconds since 1970 in the year 5138: anything a phone's clock may say, and still a datetime.
PHONE_MS_MAX = 10**14

# Outcomes that need nothing more from the ambassador: their buttons record the attempt at once. A
# language barrier asks which language the newcomer spoke, if the ambassador could tell.
DIRECT_OUTCOMES = frozenset(
    {
        Attempt.Outcome.NOT_HOME_FOLDER_LEFT,
        Attempt.Outcome.NOT_HOME_NOTHING_LEFT,
        Attempt.Outcome.MOVED_AWAY,
    }
)


class LanguagesField(forms.MultipleChoiceField):
    """Languages as big checkboxes; stored as a list of ISO 639-1 codes."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", LANGUAGE_CHOICES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("What happened?"), choices=Attempt.Outcome.choices)
    interests = forms.ModelMultipleChoiceField(
        label=gettext_lazy("The newcomer is interested in"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_request = forms.CharField(
        label=gettext_lazy("The newcomer asks to be contacted by staff about…"),
        help_text=gettext_lazy(
            "This is the only thing to write down, because you are a neighbour, not an inspector: "
            "nothing about the home or the household, only what the newcomer asked for."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    do_not_contact = forms.BooleanField(
        label=gettext_lazy("They do not want to be contacted again"),
        required=False,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("The newcomer speaks"),
        help_text=gettext_lazy("If you could tell. The next visit and the welcome folder use it."),
        choices=[("", gettext_lazy("Don't know"))] + LANGUAGE_CHOICES,
        required=False,
    )

    # Filled in by static/js/offline.js: the key the phone made for this form, and (in milliseconds since
    # 1970, by the phone's clock) when the outcome was recorded and when it was sent.
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    phone_recorded_at = forms.IntegerField(
        required=False, min_value=0, max_value=PHONE_MS_MAX, widget=forms.HiddenInput
    )
    phone_now = forms.IntegerField(required=False, min_value=0, max_value=PHONE_MS_MAX, widget=forms.HiddenInput)

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = Activity.objects.filter(area=area, is_active=True).order_by("name")

    def attempt(self) -> dict:
        """The arguments for visit_record_attempt: the cleaned outcome, the phone's key and clock."""
        data = dict(self.cleaned_data)
        recorded, sent = data.pop("phone_recorded_at", None), data.pop("phone_now", None)
        data["phone_clock"] = None
        if recorded is not None and sent is not None:
            data["phone_clock"] = PhoneClock(recorded_at=_from_phone_ms(recorded), sent_at=_from_phone_ms(sent))
        return data

    def clean(self) -> dict:
        data = super().clean()
        outcome = data.get("outcome")
        # What does not belong to the outcome is dropped, not stored: interests and a staff request only
        # come from a meeting, "do not contact" only from a refusal.
        if outcome not in Attempt.MET:
            data["interests"] = []
            data["staff_request"] = ""
        if outcome != Attempt.Outcome.DECLINED:
            data["do_not_contact"] = False
        if outcome not in LANGUAGE_OUTCOMES:
            data["language"] = ""
        data["staff_request"] = (data.get("staff_request") or "").strip()
        return data


def _from_phone_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


# Outcomes after which the recorder may say which language the newcomer speaks.
LANGUAGE_OUTCOMES = Attempt.MET | {Attempt.Outcome.LANGUAGE_BARRIER}


class CoordinatorAttemptForm(AttemptForm):
    """A coordinator enters an outcome for the ambassador holding the visit, with the day it happened."""

    visited_on = forms.DateField(
        label=gettext_lazy("Day of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    field_order = ["visited_on", "outcome", "language", "interests", "staff_request", "do_not_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget = forms.RadioSelect(choices=Attempt.Outcome.choices)
        self.fields["staff_request"].help_text = gettext_lazy(
            "Only what the newcomer asked for; nothing about the home or the household."
        )
        self.fields["language"].help_text = gettext_lazy(
            "After a meeting or a language barrier: the language the ambassador heard."
        )
        self.fields["do_not_contact"].help_text = gettext_lazy("Only with “Declined the visit”.")
        self.fields["visited_on"].initial = timezone.localdate()
        for name in ("client_key", "phone_recorded_at", "phone_now"):
            del self.fields[name]  # entered at a desk, not queued on a phone


def _photo_clean(photo: UploadedFile | Literal[False] | None) -> UploadedFile | Literal[False] | None:
    """A new upload checked by its content (the service stores it afresh), False to remove the photo,
    None to keep it (the field gives back the current file when nothing was chosen)."""
    if photo is False:
        return False
    if not isinstance(photo, UploadedFile):
        return None
    image_check(image_read(photo, max_bytes=PHOTO_MAX_BYTES), max_bytes=PHOTO_MAX_BYTES, max_pixels=PHOTO_MAX_PIXELS)
    photo.seek(0)
    return photo


class _CurrentPhoto:
    """What ClearableFileInput shows as 'Currently': a link to the permission-checked photo view."""

    def __init__(self, label: str, url: str):
        self.label, self.url = label, url

    def __str__(self) -> str:
        return self.label


class PhotoInput(forms.ClearableFileInput):
    photo_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.photo_url:
            context["widget"]["value"] = _CurrentPhoto(_("Your photo"), self.photo_url)
        return context


class AmbassadorOwnForm(forms.ModelForm):
    """The part of the profile that is the ambassador's own: languages, capacity, what the card shows."""

    languages = LanguagesField(label=gettext_lazy("Languages I speak"))

    class Meta:
        model = Ambassador
        fields = ["languages", "visits_per_month", "card_show_photo", "card_show_phone", "card_show_languages", "photo"]
        labels = {"visits_per_month": gettext_lazy("How many visits a month I would like")}
        widgets = {
            "visits_per_month": forms.NumberInput(attrs={"min": 0, "max": 30, "inputmode": "numeric"}),
            "photo": PhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.photo:
            self.fields["photo"].widget.photo_url = reverse("visits:ambassador_photo", args=[self.instance.pk])

    def clean_visits_per_month(self) -> int:
        value = self.cleaned_data["visits_per_month"]
        if value > 30:
            raise forms.ValidationError(_("At most 30 visits a month."))
        return value

    def clean_photo(self):
        return _photo_clean(self.cleaned_data.get("photo"))


class AmbassadorForm(forms.ModelForm):
    """The coordinator's part of a profile. The card opt-ins and the photo stay the ambassador's choice."""

    home_estate = forms.ModelChoiceField(
        label=gettext_lazy("Home estate"), queryset=Estate.objects.none(), required=False
    )
    home_tenancy_number = forms.CharField(
        label=gettext_lazy("Home tenancy number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("So the ambassador gets neighbours nearby and is never sent to their own home."),
    )
    languages = LanguagesField(label=gettext_lazy("Languages"))
    left_reason = forms.ChoiceField(
        label=gettext_lazy("Reason for leaving"),
        choices=[("", "---------"), *Ambassador.LeftReason.choices],
        required=False,
        help_text=gettext_lazy("Only when the status becomes “Left”; the corps' health counts departures by reason."),
    )

    class Meta:
        model = Ambassador
        fields = [
            "status",
            "left_reason",
            "status_since",
            "started_on",
            "recruited_via",
            "languages",
            "visits_per_month",
            "covered_estates",
            "covered_entrances",
            "trainings",
            "strengths",
            "sits_on_board",
        ]
        widgets = {
            "status_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "covered_estates": forms.CheckboxSelectMultiple,
            "covered_entrances": forms.CheckboxSelectMultiple,
            "trainings": forms.CheckboxSelectMultiple,
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "visits_per_month": forms.NumberInput(attrs={"min": 0, "max": 30}),
        }

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        self.fields["home_estate"].queryset = Estate.objects.filter(area=area).order_by("number")
        self.fields["covered_estates"].queryset = Estate.objects.filter(area=area).order_by("number")
        self.fields["covered_entrances"].queryset = (
            Entrance.objects.filter(estate__area=area).select_related("estate").order_by("street", "house_number")
        )
        self.fields["trainings"].queryset = Training.objects.filter(area=area)
        home = self.instance.home_tenancy if self.instance.home_tenancy_id else None
        if home is not None and not self.is_bound:
            self.initial.setdefault("home_estate", home.estate_id)
            self.initial.setdefault("home_tenancy_number", home.number)
        self.order_fields(["home_estate", "home_tenancy_number", *self.Meta.fields])

    def clean_visits_per_month(self) -> int:
        value = self.cleaned_data["visits_per_month"]
        if value > 30:
            raise forms.ValidationError(_("At most 30 visits a month."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        estate, number = data.get("home_estate"), (data.get("home_tenancy_number") or "").strip()
        data["home_tenancy"] = None
        if estate and number:
            tenancy = Tenancy.objects.filter(estate=estate, number=number).first()
            if tenancy is None:
                self.add_error("home_tenancy_number", _("There is no tenancy with this number in the estate."))
            data["home_tenancy"] = tenancy
        elif number:
            self.add_error("home_estate", _("Choose the estate the tenancy belongs to."))
        if data.get("status") != Ambassador.Status.LEFT:
            data["left_reason"] = ""
        elif data.get("left_reason") == "" and self.instance.status != Ambassador.Status.LEFT:
            self.add_error("left_reason", _("Say why the ambassador leaves."))
        return data


class AmbassadorCreateForm(forms.Form):
    """Start a profile for someone who already has the ambassador role in the area."""

    user = forms.ChoiceField(label=gettext_lazy("Ambassador"))

    def __init__(self, *args, members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(user.pk): user for user in members}
        self.fields["user"].choices = [(str(user.pk), user.full_name) for user in members]

    def clean_user(self):
        return self.members[self.cleaned_data["user"]]


class SupportConversationForm(forms.ModelForm):
    """A brief note of a support conversation: a few lines on the person and the role they want."""

    languages = LanguagesField(label=gettext_lazy("Languages they want to visit in"))

    class Meta:
        model = SupportConversation
        fields = [
            "held_on",
            "strengths",
            "interests",
            "visits_per_month_wanted",
            "phone",
            "languages",
            "note",
            "next_on",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 4}),
            "visits_per_month_wanted": forms.NumberInput(attrs={"min": 0, "max": 30}),
        }
        help_texts = {
            "note": gettext_lazy("A few lines: how the role suits them, what they need. Nothing about others."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].choices = [("", _("Not discussed")), *SupportConversation.Phone.choices]
        self.fields["phone"].label = gettext_lazy("Phone contact with newcomers")

    def clean_visits_per_month_wanted(self) -> int | None:
        value = self.cleaned_data["visits_per_month_wanted"]
        if value is not None and value > 30:
            raise forms.ValidationError(_("At most 30 visits a month."))
        return value


class ActivityForm(forms.ModelForm):
    languages = LanguagesField(label=gettext_lazy("Languages spoken at the activity"))

    class Meta:
        model = Activity
        fields = ["name", "description", "schedule", "place", "contact", "languages", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _ambassador_label(ambassador: Ambassador) -> str:
    """The name and the languages: what the coordinator picks by when changing a proposal."""
    if not ambassador.languages:
        return ambassador.user.full_name
    return f"{ambassador.user.full_name} ({', '.join(language_name(code) for code in ambassador.languages)})"


class AmbassadorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, ambassador: Ambassador) -> str:
        return _ambassador_label(ambassador)


def _area_ambassadors(area: Area):
    return Ambassador.objects.active().filter(area=area).select_related("user").order_by("user__full_name")


class AssignmentForm(forms.Form):
    """One select per proposed newcomer; an empty choice leaves that newcomer waiting."""

    def __init__(self, *args, area: Area, newcomer_ids: list[int], initial_choices: dict[int, int | None], **kwargs):
        super().__init__(*args, **kwargs)
        ambassadors = list(_area_ambassadors(area))
        self.ambassadors = {str(a.pk): a for a in ambassadors}
        choices = [("", _("Not now")), *((str(a.pk), _ambassador_label(a)) for a in ambassadors)]
        self.newcomer_ids = newcomer_ids
        for newcomer_id in newcomer_ids:
            proposed = initial_choices.get(newcomer_id)
            self.fields[f"ambassador_{newcomer_id}"] = forms.ChoiceField(
                label=gettext_lazy("Ambassador"),
                choices=choices,
                required=False,
                initial=str(proposed) if proposed else "",
            )

    def field_for(self, newcomer_id: int) -> forms.BoundField:
        return self[f"ambassador_{newcomer_id}"]

    def assignments(self) -> list[tuple[int, int]]:
        return [
            (newcomer_id, int(self.cleaned_data[f"ambassador_{newcomer_id}"]))
            for newcomer_id in self.newcomer_ids
            if self.cleaned_data.get(f"ambassador_{newcomer_id}")
        ]


class ReassignForm(forms.Form):
    ambassador = AmbassadorChoiceField(label=gettext_lazy("New ambassador"), queryset=Ambassador.objects.none())

    def __init__(self, *args, area: Area, exclude: Ambassador | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ambassadors = _area_ambassadors(area)
        if exclude is not None:
            ambassadors = ambassadors.exclude(pk=exclude.pk)
        self.fields["ambassador"].queryset = ambassadors


class VisitFilterForm(forms.Form):
    """The coordinator's visit list filters; the overview's figures link here with some of them set."""

    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)
    estate = forms.ModelChoiceField(
        label=gettext_lazy("Estate"), queryset=Estate.objects.none(), required=False, empty_label=gettext_lazy("All")
    )
    ambassador = AmbassadorChoiceField(
        label=gettext_lazy("Ambassador"),
        queryset=Ambassador.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    moved_in_from = forms.DateField(
        label=gettext_lazy("Moved in from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    moved_in_to = forms.DateField(
        label=gettext_lazy("Moved in until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All")),
            ("waiting", _("Waiting for an ambassador")),
            ("assigned", _("Assigned, not yet done")),
            ("open", _("Open")),
            ("closed", _("Closed")),
            *Visit.CloseReason.choices,
        ]
        self.fields["estate"].queryset = Estate.objects.filter(area=area).order_by("number")
        self.fields["ambassador"].queryset = (
            Ambassador.objects.filter(area=area).select_related("user").order_by("user__full_name")
        )


def default_period(today: date) -> tuple[date, date]:
    """The overview's default period: the last six whole months and this one."""
    first = today.replace(day=1)
    for _month in range(6):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


class OverviewFilterForm(forms.Form):
    estate = forms.ModelChoiceField(
        label=gettext_lazy("Estate"),
        queryset=Estate.objects.none(),
        required=False,
        empty_label=gettext_lazy("All estates"),
    )
    period_start = forms.DateField(label=gettext_lazy("Moved in from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=gettext_lazy("Moved in until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, area: Area, today: date | None = None):
        today = today or timezone.localdate()
        start, end = default_period(today)
        # An unfiltered first visit shows the default period; a partly filled form keeps the defaults too.
        merged = {"period_start": start.isoformat(), "period_end": end.isoformat()}
        if data:
            merged.update({key: value for key, value in data.items() if value})
        super().__init__(merged)
        self.fields["estate"].queryset = Estate.objects.filter(area=area).order_by("number")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if start and end and (end - start).days > 366 * 5:
            raise forms.ValidationError(_("Choose a period of at most five years."))
        return data


class NewcomerCorrectForm(forms.Form):
    """What a coordinator learned and corrects: language, phone, e-mail and "do not contact"."""

    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("A Danish number may be written without +45."),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    do_not_contact = forms.BooleanField(
        label=gettext_lazy("Do not contact"),
        required=False,
        help_text=gettext_lazy("The newcomer has asked not to be contacted again. Waiting messages are not sent."),
    )

    def __init__(self, *args, newcomer, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "language": newcomer.language,
                "phone": newcomer.phone,
                "email": newcomer.email,
                "do_not_contact": newcomer.do_not_contact,
            },
        )
        super().__init__(*args, **kwargs)
        choices = [("", gettext_lazy("Not known")), *LANGUAGE_CHOICES]
        if newcomer.language and newcomer.language not in dict(LANGUAGE_CHOICES):
            choices.append((newcomer.language, language_name(newcomer.language)))  # a code the import gave
        self.fields["language"].choices = choices


class LaterContactForm(forms.Form):
    """One tap: the topic button pressed. No free text (not a watchdog: nothing about the household)."""

    topic = forms.ChoiceField(label=gettext_lazy("What about?"), choices=LaterContact.Topic.choices)
