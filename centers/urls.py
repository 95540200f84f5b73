from django.urls import path

from centers import status_views, views

app_name = "centers"

urlpatterns = [
    path("buyers/<int:pk>/status/", status_views.buyer_status, name="buyer_status"),
    path("centers/", views.CenterListView.as_view(), name="center_list"),
    path("centers/new/", views.CenterFormView.as_view(), name="center_create"),
    path("centers/<int:pk>/", views.CenterDetailView.as_view(), name="center_detail"),
    path("centers/<int:pk>/edit/", views.CenterFormView.as_view(), name="center_update"),
    path("centers/<int:pk>/delete/", views.CenterDeleteView.as_view(), name="center_delete"),
    path("buyers/", views.BuyerListView.as_view(), name="buyer_list"),
    path("buyers/new/", views.BuyerFormView.as_view(), name="buyer_create"),
    path("buyers/<int:pk>/", views.BuyerDetailView.as_view(), name="buyer_detail"),
    path("buyers/<int:pk>/edit/", views.BuyerFormView.as_view(), name="buyer_update"),
    path("buyers/<int:pk>/delete/", views.BuyerDeleteView.as_view(), name="buyer_delete"),
]
