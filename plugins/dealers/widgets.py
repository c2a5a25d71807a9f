"""Dashboard widgets and case panels."""


def dashboard_widgets(user):
    return []


def case_panels(case, user):
    return []
