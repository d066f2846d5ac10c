#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A missing setting (SECRET_KEY with DEBUG off, ...) is one clear line, not a traceback.
        sys.exit(
            f"manage.py: {error} Give the command the service's environment (docs/operations.md, "
            '"Configuration"), or DEBUG=1 on a development machine.'
        )


if __name__ == "__main__":
    main()
