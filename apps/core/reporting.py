"""Error reports without personal data.

Django's error e-mails and logs show the request's POST and GET values and every frame's local variables;
here those are a newcomer's name in a form, an address in a loop variable. This filter (settings:
DEFAULT_EXCEPTION_REPORTER_FILTER) blanks them all, whatever the view: the traceback's lines remain.
"""

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from apps.core.log_filters import redact_token_paths


class PersonalDataSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request) -> bool:
        return True  # also with DEBUG on: a report pasted into a ticket must be safe too

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        # The query string can carry a search for a person's name (?q=…).
        for key in ("QUERY_STRING", "HTTP_COOKIE", "HTTP_REFERER"):
            if key in meta:
                meta[key] = self.cleansed_substitute
        return meta


class PersonalDataSafeExceptionReporter(ExceptionReporter):
    """Also blanks the GET values, which Django's reports list unfiltered (settings: DEFAULT_EXCEPTION_REPORTER)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_GET_items" in data:
            substitute = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, substitute) for key, _value in data["request_GET_items"]]
        if data.get("request_insecure_uri"):
            data["request_insecure_uri"] = redact_token_paths(data["request_insecure_uri"].split("?", 1)[0])
        return data
