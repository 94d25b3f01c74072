"""Drives examples/django-partner through a login against the emulator, as a browser would.

Django's test client plays the partner's server (its views, Authlib, the signed-cookie session); `requests` plays
the user's browser at the tenant (/authorize, the login form). Prints one JSON line for the test to check:
the pages the user saw, never a token or the password.
Usage: python3 django_login.py EXAMPLE_DIR USERNAME PASSWORD
"""
import json
import os
import re
import sys
from html import unescape
from urllib.parse import urljoin, urlsplit

example_dir, username, password = sys.argv[1:4]
sys.path.insert(0, example_dir)
os.chdir(example_dir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webappexample.settings")

import django  # noqa: E402
import requests  # noqa: E402

django.setup()
from django.test import Client  # noqa: E402

app = Client(HTTP_HOST="localhost:3000")
browser = requests.Session()
result = {}

login = app.get("/login")
authorize_url = login["Location"]
result["authorize"] = authorize_url.split("?")[0]

to_login_page = browser.get(authorize_url, allow_redirects=False)
result["authorize_status"] = to_login_page.status_code
if to_login_page.status_code != 302:
    result["authorize_page"] = re.sub(r"<[^>]+>", " ", to_login_page.text)
    print(json.dumps(result))
    sys.exit(0)
login_page_url = urljoin(authorize_url, to_login_page.headers["Location"])
page = browser.get(login_page_url)
state = unescape(re.search(r'name="state" value="([^"]*)"', page.text).group(1))
action = unescape(re.search(r'<form method="POST" action="([^"]*)"', page.text).group(1))
submitted = browser.post(urljoin(login_page_url, action), data={"state": state, "username": username, "password": password}, allow_redirects=False)
result["login_status"] = submitted.status_code
if submitted.status_code != 302:
    result["login_error"] = re.search(r'role="alert">([^<]*)<', submitted.text).group(1)
    print(json.dumps(result))
    sys.exit(0)

back = urlsplit(submitted.headers["Location"])
result["callback"] = f"{back.scheme}://{back.netloc}{back.path}"
callback = app.get(f"{back.path}?{back.query}")
result["callback_status"] = callback.status_code
home = app.get("/")
result["home"] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", home.content.decode())).strip()

logout = app.get("/logout")
after_logout = browser.get(logout["Location"], allow_redirects=False)
result["logout_redirect"] = after_logout.headers.get("Location")
print(json.dumps(result))
