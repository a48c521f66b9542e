"""Production settings of the blog. Deliberately vulnerable (see ../../README.md)."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-insecure-9x!r4m@t2q#v8b$w6y&k1p^z3c*e5f(h7j)l0n"  # VULN: hardcoded-secret
DEBUG = True  # VULN: debug
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "blog",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "blog",
        "USER": "blog",
        "PASSWORD": "bl0g-db-pa55word-prod",  # VULN: hardcoded-secret
        "HOST": "db",
    }
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # VULN: weak-hash

SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"  # VULN: deserialization
