#pragma once
// What an install_transaction keeps between staging and the end of its commit, shared by
// transaction.cpp (staging) and transaction_commit.cpp (the commit: its plan, the renames,
// finishing or undoing them). Internal to storage/.

#include "actpip/storage/file_lock.hpp"
#include "transaction_journal.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace actpip::storage {

namespace fs = std::filesystem;

namespace detail {

// The staged files of one staging directory, as a tree mirroring their destinations.
struct staged_tree {
    std::map<std::string, std::unique_ptr<staged_tree>> children;
    bool file = false;

    staged_tree& child(const std::string& name) {
        auto& c = children[name];
        if (!c) {
            c = std::make_unique<staged_tree>();
        }
        return *c;
    }
};

// One change of the commit, planned (and journaled) before the first one is made.
struct commit_step {
    enum class kind { tree, file };
    kind what;
    fs::path staged;
    fs::path dest;
    const staged_tree* tree = nullptr; // kind::tree: what is under `staged`
    bool make_parent = false;          // kind::file: the parent directory may be missing
};

// What commit has done, in order, so that rollback can undo it backwards.
struct journal {
    enum class kind { placed, moved_aside, created_dir, placed_tree };
    struct step {
        kind what;
        fs::path path;   // the destination, or the directory created
        fs::path backup; // moved_aside: where the previous file went
    };
    std::vector<step> steps;
    // The commit's plan: the staged trees and the steps placing them.
    std::vector<std::unique_ptr<staged_tree>> trees;
    std::vector<commit_step> plan;
    // Held from the first change until the transaction ends.
    std::optional<file_lock> lock;
    // The on-disk journal a killed process leaves for the next transaction.
    journal_writer on_disk;
};

} // namespace detail

} // namespace actpip::storage
