#include "actpip/storage/subprocess.hpp"
#include "install_io.hpp"
#include "install_stage.hpp"

namespace actpip::storage::detail {

namespace fs = std::filesystem;

namespace {

// Reads "<staged>\0<final>\0" pairs; compiles each staged source as pip does (compileall's
// compile_file with force), naming the final path in the code object; prints each .pyc made.
constexpr const char* compile_script = R"PY(
import importlib.util, py_compile, sys
data = open(sys.argv[1], "rb").read().split(b"\0")
for staged, final in zip(data[0::2], data[1::2]):
    staged = staged.decode("utf-8", "surrogateescape")
    final = final.decode("utf-8", "surrogateescape")
    cfile = importlib.util.cache_from_source(staged)
    try:
        py_compile.compile(staged, cfile=cfile, dfile=final, doraise=True)
    except Exception:
        continue
    sys.stdout.write(cfile + "\0" + importlib.util.cache_from_source(final) + "\0")
)PY";

} // namespace

core::result<std::vector<staged_file>> compile_staged(const std::string& python,
                                                      const std::vector<staged_file>& sources,
                                                      const fs::path& scratch) {
    std::string list;
    for (const auto& s : sources) {
        list += s.staged.string() + '\0' + s.dest.string() + '\0';
    }
    const fs::path list_file = scratch / (".compile-" + random_suffix());
    if (auto ok = write_new_file(list_file, list, 0600, {}); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    auto run = run_capture({python, "-I", "-c", compile_script, list_file.string()});
    std::error_code ec;
    fs::remove(list_file, ec);
    if (!run) {
        return std::unexpected(std::move(run.error()).add_context("while byte-compiling"));
    }
    if (run->exit_code != 0) {
        return core::fail(core::errc::io,
                          "byte-compiling with " + python + " failed: " + run->stderr_text);
    }
    std::vector<staged_file> out;
    std::string_view text = run->stdout_text;
    while (!text.empty()) {
        auto a = text.find('\0');
        if (a == std::string_view::npos) {
            break;
        }
        auto b = text.find('\0', a + 1);
        if (b == std::string_view::npos) {
            break;
        }
        out.push_back({fs::path(text.substr(0, a)), fs::path(text.substr(a + 1, b - a - 1))});
        text.remove_prefix(b + 1);
    }
    return out;
}

} // namespace actpip::storage::detail
