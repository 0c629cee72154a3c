from django import forms
from django.utils.translation import gettext_lazy as _


class PersonalDataSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person"),
        max_length=100,
        required=False,
        help_text=_("Name, phone number, e-mail, tenancy number or street"),
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        required=True,
    )
