"""Forms of the ambassador corps, one block per part."""

# --- Recognition (issue 17 point 5) ------------------------------------------------------------------------

from django import forms

from apps.corps.models import RecognitionSettings


class RecognitionSettingsForm(forms.ModelForm):
    class Meta:
        model = RecognitionSettings
        fields = ["thank_yous", "visit_milestones", "anniversaries"]
