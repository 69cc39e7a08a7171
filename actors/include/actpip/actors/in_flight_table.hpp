#pragma once
// Joins identical requests: the first asker of a key starts the work, later ones wait on it,
// and completion hands the answer to all of them. No CAF: tested on its own.

#include <map>
#include <string>
#include <vector>

namespace actpip::actors {

template <class Waiter>
class in_flight_table {
public:
    // True when `key` was not in flight: the caller starts the work.
    bool join(const std::string& key, Waiter w) {
        auto [it, fresh] = table_.try_emplace(key);
        it->second.push_back(std::move(w));
        return fresh;
    }
    // Everyone waiting on `key` (in arrival order); the key is no longer in flight.
    std::vector<Waiter> complete(const std::string& key) {
        auto it = table_.find(key);
        if (it == table_.end())
            return {};
        auto waiters = std::move(it->second);
        table_.erase(it);
        return waiters;
    }
    bool in_flight(const std::string& key) const { return table_.count(key) != 0; }
    std::size_t size() const { return table_.size(); }

private:
    std::map<std::string, std::vector<Waiter>> table_;
};

} // namespace actpip::actors
