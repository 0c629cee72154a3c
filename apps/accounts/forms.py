from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from apps.accounts.identifiers import email_normalise
from apps.core.phones import phone_normalise


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        # Before authenticate(), so the password check and the lock-out see one spelling.
        return email_normalise(self.cleaned_data["username"])


class LoginLinkRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("E-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_identifier(self) -> dict:
        value = self.cleaned_data["identifier"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(_("Enter a valid e-mail address or mobile number.")) from None
            return {"email": email_normalise(value)}
        phone = phone_normalise(value)
        if phone is None:
            raise forms.ValidationError(_("Enter a valid e-mail address or mobile number."))
        return {"phone": phone}


class AmbassadorInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES, initial="da")

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = phone_normalise(raw)
        if phone is None:
            raise forms.ValidationError(_("Enter a valid mobile number, e.g. 20 12 34 56."))
        return phone

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.errors:
            raise forms.ValidationError(_("Give an e-mail address or a mobile number, so the invitation can be sent."))
        return data


class TwoFactorCodeForm(forms.Form):
    """The six digits from the authenticator app; the device itself checks them (and throttles)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        return code
