// Every type that travels in actpip's messages, registered under a stable name: the list the
// remote boundary (actpip serve / --remote) relies on, and the vocabulary in one place.

#include "actpip/actors/protocol/cache.hpp"
#include "actpip/actors/protocol/download.hpp"
#include "actpip/actors/protocol/fetch.hpp"
#include "actpip/actors/protocol/http.hpp"
#include "actpip/actors/protocol/install.hpp"
#include "actpip/actors/protocol/remote.hpp"
#include "actpip/actors/protocol/resolution.hpp"
#include "actpip/embed.hpp"

namespace actpip::embed {

void add_message_types(caf::actor_system_config& cfg) {
    using namespace actpip::actors;
    // api.hpp / embed.hpp
    cfg.add_message_type<progress_event>("actpip_progress_event");
    cfg.add_message_type<resolved_distribution>("actpip_resolved_distribution");
    cfg.add_message_type<job_outcome>("actpip_job_outcome");
    cfg.add_message_type<core::error>("actpip_error");
    // protocol/http.hpp
    cfg.add_message_type<http_request>("actpip_http_request");
    cfg.add_message_type<http_header>("actpip_http_header");
    cfg.add_message_type<http_response>("actpip_http_response");
    cfg.add_message_type<reply<http_response>>("actpip_reply_http_response");
    cfg.add_message_type<http_event>("actpip_http_event");
    // protocol/cache.hpp
    cfg.add_message_type<http_cache_query>("actpip_http_cache_query");
    cfg.add_message_type<http_cache_answer>("actpip_http_cache_answer");
    cfg.add_message_type<http_cache_put>("actpip_http_cache_put");
    cfg.add_message_type<reply<bool>>("actpip_reply_bool");
    cfg.add_message_type<artifact>("actpip_artifact");
    cfg.add_message_type<wheel_slot>("actpip_wheel_slot");
    cfg.add_message_type<reply<wheel_slot>>("actpip_reply_wheel_slot");
    cfg.add_message_type<wheel_commit>("actpip_wheel_commit");
    cfg.add_message_type<reply<artifact>>("actpip_reply_artifact");
    cfg.add_message_type<cached_text>("actpip_cached_text");
    // protocol/fetch.hpp
    cfg.add_message_type<wire_interpreter>("actpip_wire_interpreter");
    cfg.add_message_type<fetch_target>("actpip_fetch_target");
    cfg.add_message_type<wire_file>("actpip_wire_file");
    cfg.add_message_type<reply<wire_file>>("actpip_reply_wire_file");
    cfg.add_message_type<project_query>("actpip_project_query");
    cfg.add_message_type<project_answer>("actpip_project_answer");
    cfg.add_message_type<reply<project_answer>>("actpip_reply_project_answer");
    cfg.add_message_type<metadata_fetch>("actpip_metadata_fetch");
    cfg.add_message_type<file_metadata>("actpip_file_metadata");
    cfg.add_message_type<reply<file_metadata>>("actpip_reply_file_metadata");
    // protocol/download.hpp
    cfg.add_message_type<download_request>("actpip_download_request");
    cfg.add_message_type<downloaded_wheel>("actpip_downloaded_wheel");
    cfg.add_message_type<reply<downloaded_wheel>>("actpip_reply_downloaded_wheel");
    // protocol/resolution.hpp
    cfg.add_message_type<versions_query>("actpip_versions_query");
    cfg.add_message_type<versions_answer>("actpip_versions_answer");
    cfg.add_message_type<reply<versions_answer>>("actpip_reply_versions_answer");
    cfg.add_message_type<metadata_query>("actpip_metadata_query");
    cfg.add_message_type<metadata_answer>("actpip_metadata_answer");
    cfg.add_message_type<reply<metadata_answer>>("actpip_reply_metadata_answer");
    cfg.add_message_type<file_query>("actpip_file_query");
    cfg.add_message_type<pinned>("actpip_pinned");
    cfg.add_message_type<resolution_outcome>("actpip_resolution_outcome");
    // protocol/remote.hpp
    cfg.add_message_type<remote_hello>("actpip_remote_hello");
    cfg.add_message_type<remote_welcome>("actpip_remote_welcome");
    cfg.add_message_type<reply<remote_welcome>>("actpip_reply_remote_welcome");
    cfg.add_message_type<remote_resolve>("actpip_remote_resolve");
    cfg.add_message_type<remote_resolution>("actpip_remote_resolution");
    cfg.add_message_type<reply<remote_resolution>>("actpip_reply_remote_resolution");
    cfg.add_message_type<remote_pinned>("actpip_remote_pinned");
    cfg.add_message_type<remote_versions>("actpip_remote_versions");
    cfg.add_message_type<remote_metadata>("actpip_remote_metadata");
    cfg.add_message_type<remote_file>("actpip_remote_file");
    cfg.add_message_type<remote_wheel_request>("actpip_remote_wheel_request");
    cfg.add_message_type<remote_transfer>("actpip_remote_transfer");
    cfg.add_message_type<reply<remote_transfer>>("actpip_reply_remote_transfer");
    cfg.add_message_type<remote_chunk_request>("actpip_remote_chunk_request");
    cfg.add_message_type<remote_chunk>("actpip_remote_chunk");
    cfg.add_message_type<reply<remote_chunk>>("actpip_reply_remote_chunk");
    cfg.add_message_type<gateway_actor>("actpip_gateway_actor");
    // protocol/install.hpp
    cfg.add_message_type<install_plan>("actpip_install_plan");
    cfg.add_message_type<install_result>("actpip_install_result");
    cfg.add_message_type<reply<install_result>>("actpip_reply_install_result");
    cfg.add_message_type<tentative_wheel>("actpip_tentative_wheel");
    cfg.add_message_type<install_opening>("actpip_install_opening");
    cfg.add_message_type<install_job_actor>("actpip_install_job_actor");
    cfg.add_message_type<unpack_order>("actpip_unpack_order");
    cfg.add_message_type<unpacked_tree>("actpip_unpacked_tree");
    cfg.add_message_type<reply<unpacked_tree>>("actpip_reply_unpacked_tree");
}

} // namespace actpip::embed
