#include "web/routes.h"

#include "web/auth_routes.h"
#include "web/dashboard.h"
#include "web/static_routes.h"

namespace imeiflow::web {

void RegisterRoutes(httplib::Server& server, WebContext& web) {
  RegisterStaticRoutes(server);
  RegisterAuthRoutes(server, web);
  RegisterDashboardRoutes(server, web);
}

}  // namespace imeiflow::web
