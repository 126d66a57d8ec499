"""A reference for the benchmarks: about the least a signed-in page can cost on Flask.

Flask, Flask-Login reading its user from the session cookie, and a Jinja layout the size of
the app's (about 4 kB, the menu drawn twice), compiled once. Nothing else: no database, no
CSRF token, no security headers, no rate limits. Served by the same gunicorn settings as the
app; GET /login signs the one user in and sets the cookie wrk replays.

Between hello world and this page lies what Flask itself asks of a signed-in page; between
this page and the app's empty page (/notifications), what the app adds to every page.
"""
from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user

app = Flask(__name__)
app.secret_key = "bench-floor-only-not-a-secret"  # this app serves nothing but the benchmark
app.config["SESSION_REFRESH_EACH_REQUEST"] = False  # as the app: no new cookie on every page
login_manager = LoginManager(app)


class Reader(UserMixin):
    def __init__(self, user_id: str, display_name: str):
        self.id, self.display_name = user_id, display_name


READERS = {"reader": Reader("reader", "Bench Reader")}
login_manager.user_loader(READERS.get)

MENU = ["Dashboard", "People", "Studios", "Feed", "Searches", "Following", "Invites", "Credits", "Growth"]
LAYOUT = app.jinja_env.from_string("""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Notifications · Growth desk</title>
  <link rel="stylesheet" href="/static/css/app.css">
  <script src="/static/js/htmx.min.js" defer></script>
</head>
<body>
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="site-header">
    <div class="site-header__inner">
      <a class="brand" href="/"><span class="brand__mark" aria-hidden="true">◆</span> Growth desk</a>
      <nav class="nav-desktop" aria-label="Main">
        <ul class="nav">{% for label in menu %}
          <li><a href="/{{ label|lower }}">{{ label }}</a></li>{% endfor %}
        </ul>
      </nav>
      <details class="menu">
        <summary>Menu</summary>
        <nav aria-label="Main">
          <ul class="nav">{% for label in menu %}
            <li><a href="/{{ label|lower }}">{{ label }}</a></li>{% endfor %}
            <li><a href="/settings">Settings</a></li>
          </ul>
        </nav>
      </details>
      <div class="account">
        <a class="account__bell" href="/notifications" aria-label="Notifications">
          <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/></svg>
        </a>
        <a class="account__name" href="/settings" aria-label="Settings for {{ user.display_name }}">{{ user.display_name }}</a>
        <form method="post" action="/logout" class="inline">
          <button type="submit" class="button button--ghost">Log out</button>
        </form>
      </div>
    </div>
  </header>
  <div id="messages" class="messages" role="status" aria-live="polite"></div>
  <main id="main" class="page">
    <section class="empty-state">
      <h1>Notifications</h1>
      <p>Alerts from your saved searches and news from the people you follow will show up here: the
         daily digest, new followers, credits granted and invites that turned into sign-ups.</p>
      <p class="badge">Coming soon</p>
    </section>
  </main>
  <footer class="site-footer">Growth desk · referrals, searches and the feed for creative work</footer>
</body>
</html>
""")


@app.get("/")
def hello():
    return "Hello, World!"


@app.get("/login")
def login():
    login_user(READERS["reader"])
    return "Signed in."


@app.get("/page")
@login_required
def page():
    return LAYOUT.render(user=current_user, menu=MENU)
