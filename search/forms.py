from django import forms

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={"max_length": "Searches are limited to %(limit_value)d characters; shorten yours."},
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search", "aria-describedby": "search-tips"}
        ),
    )
