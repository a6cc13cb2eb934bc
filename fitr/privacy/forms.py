from wtforms import PasswordField
from wtforms.validators import InputRequired, Length

from fitr.accounts.rules import MAX_PASSWORD
from fitr.forms import AppForm


class DeleteAccountForm(AppForm):
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to delete your account."), Length(max=MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"},
    )
