"""gunicorn's own log lines (its error log and the access log) under the service's rules: every
line passes the CPR-masking filter (a Referer or a header may carry what looks like a CPR), and
with `LOG_FORMAT=json` each is one JSON object, as the application's are. Named by
gunicorn.conf.py (`logger_class`); imports nothing of Django.
"""

import os

from gunicorn.glogging import Logger

from accessrules.core.masking import MaskCprFilter
from config.logformat import JsonFormatter


class ServiceLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        json_lines = os.environ.get("LOG_FORMAT", "text") == "json"
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(MaskCprFilter())
                if json_lines:
                    handler.setFormatter(JsonFormatter())
