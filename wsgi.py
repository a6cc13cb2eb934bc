"""gunicorn's entry point: `gunicorn wsgi:app`. Runs in production mode unless FITR_ENV says otherwise."""

import os

os.environ.setdefault("FITR_ENV", "production")

from fitr import create_app  # noqa: E402

app = create_app()
