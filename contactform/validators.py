from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def split_addresses(value: str) -> list[str]:
    """E-mail addresses separated by commas or new lines, blanks dropped."""
    return [part.strip() for part in value.replace(",", "\n").splitlines() if part.strip()]


def validate_recipient_list(value: str) -> None:
    """One or more e-mail addresses, separated by commas or new lines."""
    addresses = split_addresses(value)
    if not addresses:
        raise ValidationError(_("Enter at least one e-mail address."))
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” is not a valid e-mail address."), params={"address": address}
            ) from None
