from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jntp.users import views as user_views

admin.site.site_header = _("JNTP Export Match · back office")
admin.site.site_title = _("JNTP Export Match")
admin.site.index_title = _("Records")

urlpatterns = [
    path("", user_views.home, name="home"),
    path("accounts/", include("jntp.users.urls")),
    path("", include("matching.urls")),
    path("", include("centers.urls")),
    path("admin/", admin.site.urls),
]
