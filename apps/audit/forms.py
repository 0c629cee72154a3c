from django import forms
from django.utils.translation import gettext_lazy as _


class AccessLogSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Newcomer"), required=False, max_length=100, help_text=_("Name, phone number or e-mail")
    )
    actor = forms.CharField(label=_("Seen by"), required=False, max_length=100, help_text=_("E-mail or phone"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
