"""Forms of the ambassador corps, one block per part."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.phones import phone_normalise
from apps.corps.models import Candidate, RecognitionSettings
from apps.folders.printwords import ENDONYMS
from apps.organisation.models import Area, Entrance
from apps.visits.forms import LanguagesField
from apps.visits.models import LANGUAGE_CHOICES, Ambassador, Training, TrainingTopic


class RecognitionSettingsForm(forms.ModelForm):
    class Meta:
        model = RecognitionSettings
        fields = ["thank_yous", "visit_milestones", "anniversaries"]


# --- Training -------------------------------------------------------------------------------------------


class TrainingTopicForm(forms.ModelForm):
    class Meta:
        model = TrainingTopic
        fields = ["name", "description", "refresh_months", "required"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "refresh_months": forms.NumberInput(attrs={"min": 1, "max": 120}),
        }

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = TrainingTopic.objects.filter(area=self.area, name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(gettext_lazy("The area already has a topic with this name."))
        return name


class TrainingForm(forms.ModelForm):
    """A session and who attended: only the area's ambassadors are offered, so an id from another area is
    not a valid choice."""

    attendees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Attended"),
        queryset=Ambassador.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick the ambassadors who took part (after the session)."),
    )

    class Meta:
        model = Training
        fields = ["topic", "title", "held_on", "place", "note"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"title": gettext_lazy("Leave empty to use the topic's name.")}

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.area = area
        self.fields["title"].required = False
        self.fields["topic"].queryset = TrainingTopic.objects.filter(area=area).order_by("name")
        # Those who may still take part, and whoever attended this session already (also after leaving).
        current = Q(pk__in=self.instance.ambassadors.all()) if self.instance.pk else Q(pk__in=[])
        attendees = self.fields["attendees"]
        attendees.queryset = (
            Ambassador.objects.filter(area=area)
            .filter(~Q(status=Ambassador.Status.LEFT) | current)
            .select_related("user")
            .order_by("user__full_name", "pk")
        )
        attendees.label_from_instance = lambda ambassador: ambassador.user.full_name
        if self.instance.pk:
            self.initial.setdefault("attendees", list(self.instance.ambassadors.values_list("pk", flat=True)))

    def clean(self):
        data = super().clean()
        if not (data.get("title") or "").strip() and not data.get("topic"):
            self.add_error("title", gettext_lazy("Give the session a title or choose a topic."))
        return data


# --- Recruitment and onboarding (issue 17, points 1 and 2) ----------------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _area_entrances(area: Area):
    return Entrance.objects.filter(estate__area=area).select_related("estate").order_by("street", "house_number")


def _phone(raw: str, message: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    phone = phone_normalise(raw)
    if phone is None:
        raise forms.ValidationError(message)
    return phone


class JoinForm(forms.Form):
    """The public page's form, worded in the page's language (`texts`, from join_content)."""

    full_name = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    entrance = forms.ModelChoiceField(queryset=Entrance.objects.none(), required=False)
    languages = forms.MultipleChoiceField(
        choices=[(code, ENDONYMS.get(code, code)) for code, _name in LANGUAGE_CHOICES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField()
    # The honeypot: hidden from people (and screen readers), filled in by form-filling robots.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, area: Area, texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts
        fields = self.fields
        for name in ("full_name", "email", "phone", "entrance", "languages", "motivation", "consent"):
            fields[name].label = texts[name]
        fields["website"].label = texts["honeypot"]
        fields["email"].help_text = texts["contact_help"]
        fields["consent"].help_text = texts["consent_help"].format(months=settings.CANDIDATE_KEEP_MONTHS)
        fields["entrance"].queryset = _area_entrances(area)
        fields["entrance"].empty_label = texts["entrance_none"]
        fields["full_name"].error_messages = {
            "required": texts["required"],
            "max_length": texts["too_long"].format(limit=150),
        }
        fields["email"].error_messages = {"invalid": texts["email_invalid"]}
        fields["consent"].error_messages = {"required": texts["consent_missing"]}
        fields["motivation"].error_messages = {"max_length": texts["too_long"].format(limit=1000)}
        fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        fields["email"].widget.attrs.update({"autocomplete": "email"})
        fields["full_name"].widget.attrs.update({"autocomplete": "name"})

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"], self.texts["phone_invalid"])

    def clean(self) -> dict:
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            self.add_error("email", self.texts["contact_missing"])
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class CandidateForm(forms.Form):
    """The coordinator adds a candidate met in person, through a poster or at an information meeting."""

    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=30, required=False)
    channel = forms.ChoiceField(
        label=gettext_lazy("Met through"),
        choices=[choice for choice in Candidate.Channel.choices if choice[0] != Candidate.Channel.WEB_FORM],
    )
    interested_on = forms.DateField(label=gettext_lazy("Interested since"), widget=DATE_INPUT)
    entrance = forms.ModelChoiceField(label=gettext_lazy("Entrance"), queryset=Entrance.objects.none(), required=False)
    languages = LanguagesField(label=gettext_lazy("Languages"))
    motivation = forms.CharField(
        label=gettext_lazy("A few words on why"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, area: Area, **kwargs):
        kwargs.setdefault("initial", {"interested_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["entrance"].queryset = _area_entrances(area)

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"], _("Enter a valid mobile number, e.g. 20 12 34 56."))

    def clean_interested_on(self):
        day = self.cleaned_data["interested_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict:
        data = super().clean()
        if (
            not data.get("email")
            and not data.get("phone")
            and "email" not in self.errors
            and "phone" not in self.errors
        ):
            raise forms.ValidationError(_("Give an e-mail address or a mobile number, so the invitation can be sent."))
        return data


class CandidateNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IntroTalkForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Intro talk held on"), widget=DATE_INPUT)


class CandidateStopForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=Candidate.StopReason.choices)


class OnboardingForm(forms.Form):
    """The first steps, each ticked with its date, and the mentor."""

    intro_talk_on = forms.DateField(label=gettext_lazy("Intro talk held"), required=False, widget=DATE_INPUT)
    expectations_on = forms.DateField(
        label=gettext_lazy("Expectations agreed"),
        help_text=gettext_lazy(
            "Including that ambassadors are neighbours, not inspectors: they never report house-rule breaches."
        ),
        required=False,
        widget=DATE_INPUT,
    )
    first_visit_on = forms.DateField(
        label=gettext_lazy("First visit done together with an experienced ambassador"),
        required=False,
        widget=DATE_INPUT,
    )
    first_visit_with = forms.ModelChoiceField(
        label=gettext_lazy("Together with"), queryset=Ambassador.objects.none(), required=False
    )
    business_card_on = forms.DateField(label=gettext_lazy("Business card ready"), required=False, widget=DATE_INPUT)
    mentor = forms.ModelChoiceField(label=gettext_lazy("Mentor"), queryset=Ambassador.objects.none(), required=False)

    def __init__(self, *args, ambassador: Ambassador, **kwargs):
        super().__init__(*args, **kwargs)
        others = (
            Ambassador.objects.filter(area_id=ambassador.area_id, status=Ambassador.Status.ACTIVE)
            .exclude(pk=ambassador.pk)
            .select_related("user")
        )
        self.fields["first_visit_with"].queryset = others
        self.fields["mentor"].queryset = others
