from django.urls import path

from matching.views import consultations, dashboard, imports, shipment_workflow

app_name = "matching"

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("consultations/", consultations.ConsultationListView.as_view(), name="consultation_list"),
    path("consultations/new/", consultations.ConsultationFormView.as_view(), name="consultation_create"),
    path(
        "consultations/time-preview/",
        consultations.consultation_time_preview,
        name="consultation_time_preview",
    ),
    path(
        "consultations/<int:pk>/", consultations.ConsultationDetailView.as_view(), name="consultation_detail"
    ),
    path(
        "consultations/<int:pk>/edit/",
        consultations.ConsultationFormView.as_view(),
        name="consultation_update",
    ),
    path(
        "consultations/<int:pk>/delete/",
        consultations.ConsultationDeleteView.as_view(),
        name="consultation_delete",
    ),
    path("shipments/request/", shipment_workflow.shipment_request, name="shipment_request"),
    path("shipments/<int:pk>/step/<slug:action>/", shipment_workflow.shipment_step, name="shipment_step"),
    path(
        "shipments/<int:pk>/documents/",
        shipment_workflow.shipment_documents_add,
        name="shipment_documents_add",
    ),
    path(
        "shipments/<int:pk>/documents/<int:document_pk>/",
        shipment_workflow.shipment_document,
        name="shipment_document",
    ),
]
