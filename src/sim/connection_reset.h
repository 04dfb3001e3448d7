// ResetConnection: aborts one accepted TCP connection with a RST, from inside
// an httplib handler (httplib hands handlers no socket).
//
// The connection's descriptor is found by scanning the process's open
// descriptors for the TCP socket whose local port and peer address match the
// request. SO_LINGER {1, 0} plus connect(AF_UNSPEC) then makes the kernel
// send a RST and drop the connection while the descriptor stays open, so
// httplib's later close(2) stays correct; its own writes simply fail.
// Thread-safe (reads process-wide state only).
#pragma once

#include <string>

#include "core/status.h"

namespace imeiflow::sim {

/// Resets the TCP connection from `remote_addr`:`remote_port` to local port
/// `local_port`. NotFound when no such socket is open.
Status ResetConnection(const std::string& remote_addr, int remote_port, int local_port);

}  // namespace imeiflow::sim
