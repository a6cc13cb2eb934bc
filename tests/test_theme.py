"""Light and dark: each user chooses System (the device's setting), Light or Dark in Settings;
every page is sent with the choice on <html data-theme>, so it never shows the other theme first."""

from factories import element, elements
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from fitr import config
from fitr.accounts.models import User
from fitr.extensions import db


def theme_of(page):
    """The theme a page is sent with: <html data-theme> and the color-scheme it tells the browser."""
    return element(page, "html")["data-theme"], element(page, "meta", name="color-scheme")[
        "content"
    ]


def saved(app, email="casey@example.com"):
    with app.app_context():
        found = db.session.scalar(select(User).where(User.email == email))
        return found.theme, found.units


def test_pages_follow_the_device_until_someone_chooses(app, logged_in):
    anonymous = app.test_client()
    assert theme_of(anonymous.get("/login").get_data(as_text=True)) == ("system", "light dark")
    page = logged_in.get("/my/settings").get_data(as_text=True)
    assert theme_of(page) == ("system", "light dark")
    assert element(page, "input", type="radio", name="theme", value="system", checked=True)
    assert [e["value"] for e in elements(page, "input", type="radio", name="theme")] == [
        "system",
        "light",
        "dark",
    ]


def test_a_user_chooses_dark_and_every_page_is_sent_dark(app, logged_in):
    answer = logged_in.post(
        "/my/settings", data={"units": "kg", "time_zone": "UTC", "theme": "dark"}
    )
    assert answer.status_code == 302 and saved(app) == ("dark", "kg")
    for path in ("/my/settings", "/programs/", "/messages"):
        assert theme_of(logged_in.get(path).get_data(as_text=True)) == ("dark", "dark"), path
    settings = logged_in.get("/my/settings").get_data(as_text=True)
    assert element(settings, "input", type="radio", name="theme", value="dark", checked=True)
    logged_in.post("/my/settings", data={"units": "kg", "theme": "light"})
    assert theme_of(logged_in.get("/programs/").get_data(as_text=True)) == ("light", "light")
    # Logged out, the page cannot know the choice: it follows the device.
    logged_in.post("/logout")
    assert theme_of(logged_in.get("/login").get_data(as_text=True)) == ("system", "light dark")


def test_a_form_without_the_theme_keeps_it_and_a_bad_one_is_refused_whole(app, logged_in):
    logged_in.post("/my/settings", data={"units": "kg", "theme": "dark"})
    assert logged_in.post("/my/settings", data={"units": "lb"}).status_code == 302
    assert saved(app) == ("dark", "lb")
    refused = logged_in.post("/my/settings", data={"units": "kg", "theme": "purple"})
    assert refused.status_code == 400
    assert "Choose System, Light or Dark." in refused.get_data(as_text=True)
    assert saved(app) == ("dark", "lb")  # nothing of that form was saved


def test_the_migration_gives_every_existing_user_the_system_theme(empty_app):
    """On a database built by `flask db upgrade`: a user made before 0026 follows the device."""
    migrations = str(config.ROOT / "migrations")
    with empty_app.app_context():
        upgrade(directory=migrations, revision="0025")
        db.session.execute(
            text(
                'INSERT INTO "user" (email, name, password_hash, units, time_zone, is_coach, created_at,'
                " email_comments, email_messages, email_digest)"
                " VALUES ('old@example.com', 'Old Timer', 'x', 'kg', 'UTC', true, '2026-01-01', true, true, true)"
            )
        )
        db.session.commit()
        upgrade(directory=migrations, revision="0026")
        assert (
            db.session.scalar(text("SELECT theme FROM \"user\" WHERE email = 'old@example.com'"))
            == "system"
        )
        db.session.remove()
        downgrade(directory=migrations, revision="0025")
        columns = {column["name"] for column in inspect(db.engine).get_columns("user")}
        assert "theme" not in columns and "units" in columns
        db.session.remove()
