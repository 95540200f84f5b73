from django.contrib import admin
from django.urls import include, path

from jntp.users import views as user_views

urlpatterns = [
    path("", user_views.home, name="home"),
    path("accounts/", include("jntp.users.urls")),
    path("admin/", admin.site.urls),
]
