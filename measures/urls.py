from django.urls import path

from . import api, views

app_name = "measures"

urlpatterns = [
    path("cases/<int:case_pk>/assessments/", views.assessment_list, name="assessment-list"),
    path("cases/<int:case_pk>/assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("cases/<int:case_pk>/propose/", views.measure_propose, name="measure-propose"),
    path("", views.measure_list, name="measure-list"),
    path("inbox/", views.measure_inbox, name="measure-inbox"),
    path("to-order/", views.order_queue, name="order-queue"),
    path("to-order/<int:pk>/", views.order_queue_order, name="order-queue-order"),
    path("<int:pk>/", views.measure_detail, name="measure-detail"),
    path("<int:pk>/decide/", views.measure_decide, name="measure-decide"),
    path("<int:pk>/withdraw/", views.measure_withdraw, name="measure-withdraw"),
    path("<int:pk>/order/", views.measure_order, name="measure-order"),
    path("<int:pk>/in-place/", views.measure_in_place, name="measure-in-place"),
    path("<int:pk>/review/", views.measure_review_start, name="measure-review-start"),
    path("<int:pk>/review/finish/", views.measure_review_finish, name="measure-review-finish"),
    path("<int:pk>/end/", views.measure_end, name="measure-end"),
    path("<int:pk>/costs/", views.measure_cost_add, name="measure-cost-add"),
    path("budget/", views.budget_dashboard, name="budget-dashboard"),
    path("catalogue/", views.measuretype_list, name="measuretype-list"),
    path("catalogue/new/", views.measuretype_edit, name="measuretype-create"),
    path("catalogue/<int:pk>/", views.measuretype_edit, name="measuretype-edit"),
    path("checklist/", views.riskfactor_list, name="riskfactor-list"),
    path("checklist/new/", views.riskfactor_edit, name="riskfactor-create"),
    path("checklist/<int:pk>/", views.riskfactor_edit, name="riskfactor-edit"),
    path("alarms/", views.alarmevent_list, name="alarmevent-list"),
    path("alarms/<int:pk>/", views.alarmevent_detail, name="alarmevent-detail"),
    path("alarms/<int:pk>/acknowledge/", views.alarmevent_acknowledge, name="alarmevent-acknowledge"),
    # PUBLIC: the alarm centre's endpoint (bearer token, no login, no CSRF) — see measures/api.py.
    path("api/alarm-events/", api.alarm_event_receive_view, name="alarmevent-receive"),
]
