"""The Flask extensions, created here unbound and attached in create_app()."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Column, MetaData

# Named constraints let Alembic alter them later, on SQLite too.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



def include_object(obj, name, type_, reflected, compare_to):
    """What autogenerate compares: not an index on an expression (lower(name)), which SQLite
    cannot reflect; its migration is written by hand."""
    if type_ == "index":
        index = compare_to if reflected else obj
        if index is not None and any(not isinstance(e, Column) for e in index.expressions):
            return False
        if reflected and compare_to is None and name in EXPRESSION_INDEXES:
            return False
    return True


EXPRESSION_INDEXES = {"uq_exercise_coach_name", "uq_exercise_starter_name", "uq_exercise_alias_name"}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate(render_as_batch=True, compare_type=True, include_object=include_object)
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address)
