#include "actpip/actors/unpack_pool.hpp"

#include "actpip/actors/error_bridge.hpp"
#include "actpip/actors/in_flight_table.hpp"
#include "actpip/storage/unpack.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <vector>

namespace actpip::actors {

namespace {

// One blocking unpack at a time, on its own thread.
using unpack_worker_actor =
    caf::typed_actor<caf::replies_to<unpack_order>::with<reply<unpacked_tree>>>;

// `index` only names the worker: CAF 0.17 dereferences a null argument tuple when a
// function actor takes no arguments (UBSan reports it).
unpack_worker_actor::behavior_type unpack_worker(unpack_worker_actor::pointer self,
                                                 std::size_t index,
                                                 std::shared_ptr<const void> keep_alive) {
    guard_exceptions(self, "unpack worker " + std::to_string(index));
    return {
        [keep_alive](unpack_order& o) -> reply<unpacked_tree> {
            storage::unpack_options opts;
            opts.filename = o.filename;
            opts.sha256 = o.sha256;
            auto r = storage::unpack_wheel(o.path, o.dest, opts);
            if (!r)
                return std::move(r.error()).add_context("while unpacking " +
                                                        (o.filename.empty() ? o.path : o.filename));
            return unpacked_tree{r->root.string()};
        },
    };
}

struct worker {
    unpack_worker_actor actor;
    bool busy = false; // one order at a time: nothing queues behind a slow unpack
};

struct pool_state {
    pool_state() = default; // not an aggregate: CAF would build it from the self pointer
    std::vector<worker> workers;
    std::deque<unpack_order> queue;
    in_flight_table<caf::typed_response_promise<reply<unpacked_tree>>> in_flight; // by dest
    std::map<std::string, unpacked_tree> done; // by dest: asked again, answered at once
    static inline const char* name = "unpack_pool";
};

using self_ptr = unpack_pool_actor::stateful_pointer<pool_state>;

void dispatch(self_ptr self) {
    auto& st = self->state;
    for (std::size_t w = 0; w < st.workers.size() && !st.queue.empty(); ++w) {
        if (st.workers[w].busy)
            continue;
        auto order = std::move(st.queue.front());
        st.queue.pop_front();
        st.workers[w].busy = true;
        auto dest = order.dest;
        auto finished = [self, w, dest](reply<unpacked_tree> r) {
            auto& st = self->state;
            st.workers[w].busy = false;
            if (r)
                st.done.emplace(dest, *r);
            for (auto& rp : st.in_flight.complete(dest))
                rp.deliver(r);
            dispatch(self);
        };
        self->request(st.workers[w].actor, caf::infinite, std::move(order))
            .then([finished](reply<unpacked_tree>& r) { finished(std::move(r)); },
                  [finished, w](caf::error& e) {
                      finished(from_caf(e, "unpack worker " + std::to_string(w)));
                  });
    }
}

unpack_pool_actor::behavior_type unpack_pool(self_ptr self, std::size_t workers,
                                             std::shared_ptr<const void> keep_alive) {
    guard_exceptions(self, "the unpack pool");
    auto& st = self->state;
    for (std::size_t i = 0; i < std::max<std::size_t>(1, workers); ++i) {
        // Workers are linked: they end with the pool, and a worker that dies takes the pool
        // down with the reason, for whoever monitors it.
        st.workers.push_back(
            {self->spawn<caf::detached + caf::linked>(unpack_worker, i, keep_alive), false});
    }
    return {
        [self](unpack_order& o) -> caf::typed_response_promise<reply<unpacked_tree>> {
            auto rp = self->make_response_promise<reply<unpacked_tree>>();
            auto& st = self->state;
            if (auto it = st.done.find(o.dest); it != st.done.end()) {
                rp.deliver(reply<unpacked_tree>(it->second));
                return rp;
            }
            if (st.in_flight.join(o.dest, rp)) {
                st.queue.push_back(std::move(o));
                dispatch(self);
            }
            return rp;
        },
    };
}

} // namespace

unpack_pool_actor spawn_unpack_pool(caf::actor_system& sys, std::size_t workers,
                                    std::shared_ptr<const void> keep_alive) {
    return sys.spawn(unpack_pool, workers, std::move(keep_alive));
}

} // namespace actpip::actors
