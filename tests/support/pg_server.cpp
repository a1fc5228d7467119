#include "support/pg_server.h"

#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pelagos::test {
namespace {

namespace fs = std::filesystem;

int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const std::string& PgServer::bin_dir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("PELAGOS_PG_BIN")) return std::string(env);
    std::string best;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
      const fs::path bin = e.path() / "bin";
      if (fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl") &&
          (best.empty() || std::stoi(e.path().filename().string()) > std::stoi(fs::path(best).parent_path().filename().string())))
        best = bin.string();
    }
    return best;
  }();
  return dir;
}

std::string PgServer::as_server_user(const std::string& command) const {
  return user_.empty() ? command : "runuser -u " + user_ + " -- " + command;
}

bool PgServer::pg_ctl(const std::string& args) {
  const std::string cmd = as_server_user(bin_dir() + "/pg_ctl -D " + dir_.file("data") + " -l " +
                                         dir_.file("server.log") + " -w -t 60 " + args) +
                          " >/dev/null";
  return std::system(cmd.c_str()) == 0;
}

PgServer::PgServer() {
  if (bin_dir().empty()) {
    error_ = "PostgreSQL's server binaries are not installed";
    return;
  }
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (!pw) pw = getpwnam("nobody");
    if (!pw) {
      error_ = "running as root and neither user postgres nor nobody exists to run the server";
      return;
    }
    user_ = pw->pw_name;
    if (chown(dir_.path().c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      error_ = "cannot chown " + dir_.path().string() + " to " + user_;
      return;
    }
  }
  const std::string initdb = as_server_user(bin_dir() + "/initdb -D " + dir_.file("data") +
                                            " -U pelagos -A trust -E UTF8 --locale=C --no-sync") +
                             " >" + dir_.file("initdb.log") + " 2>&1";
  if (std::system(initdb.c_str()) != 0) {
    error_ = "initdb failed: " + read_text(dir_.file("initdb.log"));
    return;
  }
  port_ = free_loopback_port();
  // fsync off: a test server; unix socket in the private folder, TCP on loopback only.
  std::ofstream(dir_.file("data/postgresql.auto.conf"), std::ios::app)
      << "port = " << port_ << "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" << dir_.path().string()
      << "'\nfsync = off\nfull_page_writes = off\nmax_connections = 100\n";
  if (!pg_ctl("start")) {
    error_ = "the PostgreSQL server did not start: " + read_text(dir_.file("server.log"));
    return;
  }
  started_ = true;
}

PgServer::~PgServer() {
  if (started_) pg_ctl("-m immediate stop");
}

std::string PgServer::create_database(const std::string& name) {
  const std::string cmd = bin_dir() + "/createdb -h 127.0.0.1 -p " + std::to_string(port_) + " -U pelagos " + name;
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return "postgresql://pelagos@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

const std::string& optuna_postgres_python() {
  static const std::string python = [] {
    const std::string& py = optuna_python();
    if (py.empty()) return std::string();
    return run_command(py + " -c 'import psycopg2' 2>/dev/null").exit_code == 0 ? py : std::string();
  }();
  return python;
}

void PgServer::restart() { EXPECT_TRUE(pg_ctl("-m fast restart")) << read_text(dir_.file("server.log")); }

}  // namespace pelagos::test
