from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.hours.models import HOURS_STEP, MAX_HOURS_A_DAY, HourEntry, HoursSettings


class HourEntryForm(forms.Form):
    """Hours on one day, from a phone. `profiles` are the user's ambassador profiles that register time."""

    ambassador = forms.TypedChoiceField(label=_("Area"), coerce=int)
    # A date input takes ISO dates only, whatever the language formats dates as (Danish: 6.12.2026).
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=HOURS_STEP,
        max_value=MAX_HOURS_A_DAY,
        step_size=HOURS_STEP,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    kind = forms.ChoiceField(label=_("What"), choices=HourEntry.Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, profiles, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.profiles = {profile.pk: profile for profile in profiles}
        self.fields["ambassador"].choices = [(p.pk, p.area.name) for p in profiles]
        if len(profiles) == 1:
            self.fields["ambassador"].initial = profiles[0].pk
            self.fields["ambassador"].widget = forms.HiddenInput()
        # Where visits count as time by themselves, they are not logged by hand (they would count twice).
        if profiles and all(p.area.hours_settings.visits_count_as_time for p in profiles):
            self.fields["kind"].choices = [c for c in HourEntry.Kind.choices if c[0] != HourEntry.Kind.VISITS]

    def clean(self):
        data = super().clean()
        if "ambassador" in data:
            data["ambassador"] = self.profiles.get(data["ambassador"])
            if data["ambassador"] is None:
                raise forms.ValidationError(_("Time registration is not switched on in this area."))
        return data


class HoursSettingsForm(forms.ModelForm):
    class Meta:
        model = HoursSettings
        fields = ["enabled", "minutes_per_visit"]


class PayrollForm(forms.Form):
    number = forms.CharField(label=_("Payroll number"), max_length=40, required=False)


class ApproveForm(forms.Form):
    entry = forms.TypedMultipleChoiceField(label=_("Entries"), coerce=int)

    def __init__(self, *args, waiting_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(pk, pk) for pk in waiting_ids]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
