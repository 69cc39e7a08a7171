#pragma once
// The session's state and the steps its two files share (session.cpp: the wiring;
// session_remote.cpp: resolving through a server). Internal to actors/.

#include "actpip/actors/download_book.hpp"
#include "actpip/actors/resolver_actor.hpp"
#include "actpip/actors/session.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace actpip::actors::session_detail {

using clock = std::chrono::steady_clock;

struct session_state {
    session_state() = default; // not an aggregate: CAF would build it from the self pointer
    session_config cfg;
    clock::time_point started = clock::now();
    clock::time_point resolved_at;
    resolver_actor resolver;
    data_provider_actor resolving_with; // the provider of the resolution made here

    download_book book;
    std::set<std::string> seen_names; // for the `resolving` count
    std::optional<resolution_outcome> resolution;
    std::map<caf::actor_addr, std::string> watched; // monitored actors, named for errors
    std::map<std::string, wire_file> remote_files;  // the server's files of the final pins
    std::vector<std::string> warnings;              // the session's own (a server that failed)
    bool remote_failed = false;
    bool resolving_remotely = false; // a resolution asked of the server, not answered yet
    // The install job opened at the first landed wheel: each one is staged as it lands,
    // and the plan goes to it. Until its handle arrives, what it is owed waits here.
    install_job_actor install_job;
    bool job_opening = false;
    std::vector<install_item> owed_to_job;
    std::optional<install_plan> plan_owed_to_job;
    // The resolution memo's key when this session resolves with its own provider (empty:
    // nothing to remember, as through a server).
    std::string memo_key;
    bool installing = false;
    bool cancel_requested = false;
    bool finished = false;
    static inline const char* name = "actpip_session";
};

using self_ptr = caf::stateful_actor<session_state>*;

void report(self_ptr self, progress_event e);
void finish(self_ptr self, job_outcome outcome);
void on_resolution(self_ptr self, resolution_outcome& outcome);
void resolve_here(self_ptr self);
// A tentative pin was announced (counted for progress): whether its wheel is to be fetched
// now (not a dry run, not installed, not known to the book, the resolution not final).
bool take_tentative_pin(self_ptr self, const std::string& name, const std::string& version);
// Starts the download of `file` unless the book has it already.
void start_download(self_ptr self, const wire_file& file);

// session_remote.cpp
// The server failed (said once): with --remote-only the job fails, else it goes on here.
// Returns whether it may go on.
bool server_failed(self_ptr self, const std::string& why);
// The server failed while it was resolving: resolve here (once).
void resolve_here_instead(self_ptr self, const std::string& why);
// One round trip: the server resolves with its warm metadata and names every pin's file.
void resolve_remotely(self_ptr self);
// A tentative pin of the server's resolution: its download starts at once.
void on_remote_pinned(self_ptr self, const wire_file& f);

} // namespace actpip::actors::session_detail
