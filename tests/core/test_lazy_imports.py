"""Commands and workers start without the heavy libraries: SciPy (about 2 s to import), WeasyPrint (about
1 s), openpyxl and pypdf are imported inside the functions that use them, so `manage.py check`, a beat
tick or a worker booting does not pay for a PDF or a statistical test it never makes.

A fresh interpreter, because this test session has long since imported all of them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

HEAVY = ("scipy", "weasyprint", "pypdf", "openpyxl")

# What a command and a worker do before their own work: Django's set-up (every app's ready()), the URL
# conf, the system checks, every management command's module and every app's tasks module.
START_UP = f"""
import importlib, importlib.util, pkgutil, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from django.core.management import get_commands, load_command_class
for name, app in get_commands().items():
    load_command_class(app, name)
import apps
for module in pkgutil.iter_modules(apps.__path__):
    if importlib.util.find_spec(f"apps.{{module.name}}.tasks"):
        importlib.import_module(f"apps.{{module.name}}.tasks")
from naboambassador.celery import app
app.loader.import_default_modules()
from django.core.checks import run_checks
run_checks()
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
"""


def test_start_up_of_commands_and_workers_imports_no_heavy_library():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "naboambassador.settings"}
    done = subprocess.run(
        [sys.executable, "-c", START_UP], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
