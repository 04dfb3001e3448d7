// ApiStatusWithToken (declared in web/page_test_util.h): the admin page's
// tests check that a token made on the page opens the JSON API. The API's
// ApiContext and the pages' WebContext each define a LiveStats until the two
// are wired together, so the API server is built in this file of its own.
#include <httplib.h>

#include <string>
#include <thread>

#include "core/clock.h"
#include "web/api_context.h"
#include "web/api_routes.h"

namespace imeiflow::web {

int ApiStatusWithToken(const std::string& db_path, const Clock& clock, const std::string& path,
                       const std::string& token) {
  ApiContext api;
  api.database_path = db_path;
  api.clock = &clock;
  httplib::Server server;
  RegisterApiRoutes(server, api);
  int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) return -1;
  std::thread listener([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  httplib::Client client("127.0.0.1", port);
  httplib::Result answer = client.Get(path, {{"Authorization", "Bearer " + token}});
  server.stop();
  listener.join();
  return answer ? answer->status : -1;
}

}  // namespace imeiflow::web
