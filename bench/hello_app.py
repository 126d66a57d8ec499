"""The baseline: a hello-world Flask app served by the same gunicorn settings.

Whatever the real app costs on top of this is ours; what this costs is Python,
gunicorn and the machine.
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
