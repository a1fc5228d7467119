#include "util/download.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <thread>

#include "pelagos/error.h"
#include "support/test_support.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

extern char** environ;

namespace pelagos {
namespace {

std::string error_of(const DownloadRequest& r) {
  try {
    download_file(r);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A file:// source with its own checksum.
struct Source {
  test::TempDir dir;
  std::string bytes = std::string(100000, 'x') + "pelagos";
  std::string path = dir.file("src.bin");
  std::string sha;
  Source() {
    write_file_atomic(path, bytes);
    sha = sha256_hex(bytes);
  }
  std::string url() const { return "file://" + path; }
};

TEST(Download, FileUrlWithMatchingChecksum) {
  Source src;
  test::TempDir out;
  const std::string target = out.file("sub/dir/w.pth");
  EXPECT_EQ(download_file({src.url(), target, src.sha, false}), src.sha);
  EXPECT_EQ(read_file(target), src.bytes);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out.file("sub/dir")), {}), 1);  // no temp left
}

TEST(Download, ChecksumMismatchLeavesNothing) {
  Source src;
  test::TempDir out;
  const std::string target = out.file("w.pth");
  const std::string wrong(64, '0');
  const std::string msg = error_of({src.url(), target, wrong, false});
  EXPECT_NE(msg.find("expected " + wrong), std::string::npos) << msg;
  EXPECT_NE(msg.find(src.sha), std::string::npos) << msg;
  EXPECT_TRUE(std::filesystem::is_empty(out.path()));
}

TEST(Download, UnreachableServerSaysWhatToDo) {
  test::TempDir out;
  const std::string msg = error_of({"http://127.0.0.1:1/vggish.pth", out.file("w.pth"), "", false});
  EXPECT_NE(msg.find("download of http://127.0.0.1:1/vggish.pth failed"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--weights"), std::string::npos) << msg;
  EXPECT_TRUE(std::filesystem::is_empty(out.path()));
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool can_connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// python3 -m http.server on 127.0.0.1, serving `dir`; killed (by its pid) on scope exit.
class LoopbackServer {
 public:
  explicit LoopbackServer(const std::string& dir) : port_(free_port()) {
    const std::string port = std::to_string(port_);
    const char* argv[] = {"/usr/bin/python3", "-m", "http.server", port.c_str(), "--bind", "127.0.0.1",
                          "--directory", dir.c_str(), nullptr};
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, const_cast<char**>(argv), environ) != 0) pid_ = -1;
    for (int i = 0; pid_ > 0 && i < 200 && !can_connect(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~LoopbackServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool up() const { return pid_ > 0 && can_connect(port_); }
  std::string url(const std::string& name) const { return "http://127.0.0.1:" + std::to_string(port_) + "/" + name; }

 private:
  int port_;
  pid_t pid_ = -1;
};

TEST(Download, LoopbackHttpServer) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "needs /usr/bin/python3 for a local HTTP server";
  Source src;
  LoopbackServer server(src.dir.path().string());
  ASSERT_TRUE(server.up()) << "python3 -m http.server did not start";
  test::TempDir out;
  EXPECT_EQ(download_file({server.url("src.bin"), out.file("w.pth"), src.sha, false}), src.sha);
  EXPECT_EQ(read_file(out.file("w.pth")), src.bytes);
  // A 404 is an error, not a saved error page.
  const std::string msg = error_of({server.url("missing.bin"), out.file("m.pth"), "", false});
  EXPECT_NE(msg.find("404"), std::string::npos) << msg;
  EXPECT_FALSE(std::filesystem::exists(out.file("m.pth")));
}

}  // namespace
}  // namespace pelagos
