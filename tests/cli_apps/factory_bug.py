"""A ``create_app`` that raises TypeError from inside its body."""


def create_app():
    settings = None
    return settings["name"]
