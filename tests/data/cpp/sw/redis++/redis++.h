// A minimal declaration header for redis-plus-plus (sw::redis), which Debian does not package: just
// the types and signatures leash's C++ fixtures use, as the library declares them.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace sw {
namespace redis {

struct ConnectionOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string path;
  std::string password;
  int db = 0;
  bool keep_alive = false;
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds socket_timeout{0};
};

struct ConnectionPoolOptions {
  std::size_t size = 1;
  std::chrono::milliseconds wait_timeout{0};
  std::chrono::milliseconds connection_lifetime{0};
};

class Redis {
public:
  explicit Redis(const ConnectionOptions &connection_opts,
                 const ConnectionPoolOptions &pool_opts = {});
  explicit Redis(const std::string &uri);
  long long incr(const std::string &key);
};

class RedisCluster {
public:
  explicit RedisCluster(const ConnectionOptions &connection_opts,
                        const ConnectionPoolOptions &pool_opts = {});
  explicit RedisCluster(const std::string &uri);
};

} // namespace redis
} // namespace sw
