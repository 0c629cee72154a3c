"""Forms of the ambassador corps, one block per part."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from apps.corps.models import RecognitionSettings
from apps.organisation.models import Area
from apps.visits.models import Ambassador, Training, TrainingTopic


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
