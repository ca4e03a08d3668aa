from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken, TokenScope
from sources.text import BidiControlsStrippedMixin

# Tokens one account may hold unrevoked at once: enough for every script, few enough to review.
MAX_ACTIVE_TOKENS = 20


class TokenForm(BidiControlsStrippedMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the script or tool that uses it.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read reads public records, as anyone may. Read and write also records and submits drafts as you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if ApiToken.objects.of(self.user).active().count() >= MAX_ACTIVE_TOKENS:
            raise forms.ValidationError(
                _("You have %(n)d tokens that work: revoke one you no longer use first.") % {"n": MAX_ACTIVE_TOKENS}
            )
        return cleaned
