#include "cache_commands.hpp"

#include "human_size.hpp"

#include "actpip/storage/cache_layout.hpp"
#include "actpip/storage/cache_maintenance.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace actpip::cli {

namespace {

struct cache_args {
    std::string cache_dir;
    bool verbose = false;
    bool verify = false;
};

int report(const core::error& e) {
    std::cerr << "error: " << e.describe() << '\n';
    for (const auto& hint : e.hints) {
        std::cerr << "hint: " << hint << '\n';
    }
    return 1;
}

core::result<storage::cache_layout> layout_for(const cache_args& args) {
    storage::cache_settings settings;
    if (!args.cache_dir.empty()) {
        settings.cache_dir = args.cache_dir;
    }
    auto root = storage::resolve_cache_root(settings, storage::process_environment());
    if (!root) {
        return std::unexpected(std::move(root.error()));
    }
    return storage::cache_layout(**root);
}

int run_dir(const cache_args& args) {
    auto layout = layout_for(args);
    if (!layout) {
        return report(layout.error());
    }
    std::cout << layout->root().string() << '\n';
    return 0;
}

int run_info(const cache_args& args) {
    auto layout = layout_for(args);
    if (!layout) {
        return report(layout.error());
    }
    auto usage = storage::measure_cache(*layout);
    if (!usage) {
        return report(usage.error());
    }
    std::cout << "cache: " << layout->root().string() << '\n';
    for (std::size_t i = 0; i < storage::cache_kind_count; ++i) {
        auto kind = static_cast<storage::cache_kind>(i);
        const auto& amount = (*usage)[kind];
        std::string label(storage::to_string(kind));
        label += ':';
        label.resize(12, ' ');
        std::cout << "  " << label << human_size(amount.bytes) << " in " << amount.files
                  << (amount.files == 1 ? " file" : " files") << '\n';
    }
    auto total = usage->total();
    std::cout << "  total:      " << human_size(total.bytes) << " in " << total.files
              << (total.files == 1 ? " file" : " files") << '\n';
    return 0;
}

int run_clean(const cache_args& args) {
    auto layout = layout_for(args);
    if (!layout) {
        return report(layout.error());
    }
    auto removed = storage::clean_cache(*layout);
    if (!removed) {
        return report(removed.error());
    }
    std::cout << "removed " << removed->files << " files (" << human_size(removed->bytes)
              << ") from " << layout->root().string() << '\n';
    return 0;
}

int run_prune(const cache_args& args) {
    auto layout = layout_for(args);
    if (!layout) {
        return report(layout.error());
    }
    storage::prune_options options;
    options.verify_wheels = args.verify;
    auto removed = storage::prune_cache(*layout, options);
    if (!removed) {
        return report(removed.error());
    }
    if (args.verbose) {
        for (const auto& path : removed->removed) {
            std::cout << "removed " << path << '\n';
        }
    }
    std::cout << "pruned " << removed->files << " files (" << human_size(removed->bytes)
              << ") from " << layout->root().string() << '\n';
    return 0;
}

} // namespace

void register_cache_commands(CLI::App& app, command_runner& run) {
    auto* cache = app.add_subcommand("cache", "Inspect and manage actpip's cache");
    cache->require_subcommand(1);
    auto args = std::make_shared<cache_args>();
    auto add_dir_option = [&](CLI::App* sub) {
        sub->add_option("--cache-dir", args->cache_dir,
                        "cache root (default: $ACTPIP_CACHE_DIR, $XDG_CACHE_HOME/actpip or "
                        "~/.cache/actpip)");
    };

    auto* dir = cache->add_subcommand("dir", "Print the cache directory");
    add_dir_option(dir);
    dir->callback([&run, args] { run = [args] { return run_dir(*args); }; });

    auto* info = cache->add_subcommand("info", "Show the cache's size by kind of entry");
    add_dir_option(info);
    info->callback([&run, args] { run = [args] { return run_info(*args); }; });

    auto* clean = cache->add_subcommand("clean", "Remove everything in the cache");
    add_dir_option(clean);
    clean->callback([&run, args] { run = [args] { return run_clean(*args); }; });

    auto* prune = cache->add_subcommand(
        "prune", "Remove unreferenced, temporary and corrupt entries from the cache");
    add_dir_option(prune);
    prune->add_flag("-v,--verbose", args->verbose, "list what is removed");
    prune->add_flag("--verify-wheels", args->verify, "rehash every cached wheel (slow)");
    prune->callback([&run, args] { run = [args] { return run_prune(*args); }; });
}

} // namespace actpip::cli
