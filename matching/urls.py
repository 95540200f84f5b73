from django.urls import path

from matching.views import (
    companies,
    consultations,
    dashboard,
    events,
    imports,
    matches,
    outcomes,
    recommendations,
    shipment_workflow,
    shipments,
)

app_name = "matching"

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("companies/", companies.CompanyListView.as_view(), name="company_list"),
    path("companies/new/", companies.CompanyCreateView.as_view(), name="company_create"),
    path("companies/<int:pk>/", companies.CompanyDetailView.as_view(), name="company_detail"),
    path("companies/<int:pk>/edit/", companies.CompanyUpdateView.as_view(), name="company_update"),
    path("companies/<int:pk>/delete/", companies.CompanyDeleteView.as_view(), name="company_delete"),
    path("matches/", matches.MatchListView.as_view(), name="match_list"),
    path("matches/new/", matches.MatchCreateView.as_view(), name="match_create"),
    path("matches/<int:pk>/", matches.MatchDetailView.as_view(), name="match_detail"),
    path("matches/<int:pk>/edit/", matches.MatchUpdateView.as_view(), name="match_update"),
    path("matches/<int:pk>/delete/", matches.MatchDeleteView.as_view(), name="match_delete"),
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
    path("shipments/", shipments.ShipmentListView.as_view(), name="shipment_list"),
    path("shipments/<int:pk>/", shipments.ShipmentDetailView.as_view(), name="shipment_detail"),
    path("shipments/<int:pk>/delete/", shipments.ShipmentDeleteView.as_view(), name="shipment_delete"),
    path("outcomes/", outcomes.OutcomeListView.as_view(), name="outcome_list"),
    path("outcomes/new/", outcomes.OutcomeFormView.as_view(), name="outcome_create"),
    path("outcomes/<int:pk>/", outcomes.OutcomeDetailView.as_view(), name="outcome_detail"),
    path("outcomes/<int:pk>/edit/", outcomes.OutcomeFormView.as_view(), name="outcome_update"),
    path("outcomes/<int:pk>/delete/", outcomes.OutcomeDeleteView.as_view(), name="outcome_delete"),
    path("events/", events.EventListView.as_view(), name="event_list"),
    path("events/new/", events.EventFormView.as_view(), name="event_create"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", events.EventFormView.as_view(), name="event_update"),
    path("events/<int:pk>/delete/", events.EventDeleteView.as_view(), name="event_delete"),
    path(
        "companies/<int:pk>/recommendations/",
        recommendations.company_recommendations,
        name="company_recommendations",
    ),
    path(
        "buyers/<int:pk>/recommendations/",
        recommendations.buyer_recommendations,
        name="buyer_recommendations",
    ),
    path(
        "recommendations/<int:company_pk>/<int:buyer_pk>/match/",
        recommendations.recommendation_accept,
        name="recommendation_accept",
    ),
    path(
        "recommendations/<int:company_pk>/<int:buyer_pk>/dismiss/",
        recommendations.recommendation_dismiss,
        name="recommendation_dismiss",
    ),
    path(
        "recommendations/<int:company_pk>/<int:buyer_pk>/propose/",
        recommendations.match_propose,
        name="match_propose",
    ),
    path(
        "recommendations/dismissals/<int:pk>/restore/",
        recommendations.recommendation_restore,
        name="recommendation_restore",
    ),
]
