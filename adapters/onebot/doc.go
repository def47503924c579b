// Package onebot connects a qunops bot to a OneBot 12 implementation over
// HTTP, the open bot protocol that WeChat bridges such as ComWeChatBotClient
// implement. It uses the standard library only.
//
// # Events in: the HTTP webhook
//
// A [Transport] is an http.Handler: point the implementation's HTTP Webhook
// ("OneBot Connect - HTTP Webhook", botuniverse/onebot
// specs/connect/communication/http-webhook.md at b6f47fb) at it. Each POST
// carries one event as JSON; the handler checks `Authorization: Bearer
// <access_token>` (or the `access_token` query parameter, which the same
// section allows when the header cannot be set), decodes the event, queues
// the qunops events it maps to, and answers 204 No Content once they are
// queued, so that the implementation does not run the body as actions.
// [Transport.Receive] takes them from the queue (a bot.Source).
//
// The events mapped (specs/interface/group/message-events.md and
// notice-events.md at 173d8fe):
//
//	message.group                  → qunops.Message, Kind from the segments, ID "onebot:m:<message_id>"
//	notice.group_member_increase   → qunops.Join (Actor: the inviter, for sub_type invite)
//	notice.group_member_decrease   → qunops.Leave (Actor: the remover, for sub_type kick)
//	message.group "/report", "/resolve" replying to a message
//	                               → qunops.Report / qunops.Resolve about the replied-to sender (ours)
//	notice.group_name_update, notice.group_name_change, and either after a "<prefix>."
//	                               → qunops.Title: Member operator_id, else user_id; Text group_name, else name
//
// Everything else (meta events, private messages, other notices) is
// acknowledged and dropped. OneBot 12 defines no event for a change of a
// member's group card, so none is mapped.
//
// # Group name notices
//
// OneBot 12 defines no notice for a change of a group's name either: the
// group notices are member increase, member decrease and message delete
// (specs/interface/group/notice-events.md at 173d8fe), and
// ComWeChatBotClient, the WeChat bridge, sends none (docs/event/notice.md at
// f2792e4). Implementations extend: Walle-Q (QQ) sends
// notice.group_name_update with group_id, group_name and operator_id, and no
// user_id (onebot-walle/walle-q doc/src/event/notice.md and
// src/parse/event.rs at 4db42ce). Lagrange.OneBot, a OneBot 11
// implementation, names the same notice group_name_change with group_id and
// name (LagrangeDev/Lagrange.Core
// Lagrange.OneBot/Core/Entity/Notify/OneBotGroupNameChange.cs at 666cbac),
// and no renamer; it is read in case a OneBot 12 bridge keeps that name (a
// notice without operator_id or user_id is then refused, below).
//
// So a notice whose detail_type is one of Config.TitleNotices (default
// [DefaultTitleNotices]: group_name_update, group_name_change) is a
// qunops.Title, bare or after a "<prefix>." of [_a-z]+, as the spec
// recommends, without requiring, for an extended detail_type
// (specs/interface/rules.md at 173d8fe): "qq.group_name_update" matches
// too. The renamer is operator_id, else user_id; the new name is
// group_name, else name. A name notice without either, or with an empty
// name, is a decode error naming the field (the webhook answers 400); its
// ID is "onebot:n:<id>", as for the other notices. The bot's own
// set_group_name, reported back with the bot as operator_id, is a Title
// from Policy.Self, which the engine records and answers with nothing.
//
// # Actions out: the HTTP API
//
// [Transport.Perform] (a bot.Sink) POSTs action requests to the
// implementation's HTTP endpoint ("OneBot Connect - HTTP",
// specs/connect/communication/http.md at 750d2a4):
//
//	Welcome, Warn, Reply, Remind, Post → send_message detail_type group, mention segments then the text
//	Remove                             → the remove-member action (Config.KickAction), then send_message
//	Notify, Escalate                   → send_message detail_type private to the admin
//	Recall                             → delete_message
//	Retitle                            → set_group_name with group_id and group_name (Text)
//	Blacklist                          → nothing (the engine keeps the blacklist)
//
// OneBot 12's standard group actions (specs/interface/group/actions.md) have
// no remove-member action; kick_group_member with group_id and user_id, the
// default of Config.KickAction, is the name Walle-Q's OneBot 12 actions use
// (as called by sealdice-core's Walle-Q adapter); set it to the extended
// action of your implementation (e.g. "wx.kick_group_member").
// set_group_name is standard (specs/interface/group/actions.md at 463baed);
// an implementation that lacks it answers retcode 10002 (unsupported
// action), which is permanent.
//
// # Errors and retries
//
// An action response's retcode says whether a retry can help
// (specs/connect/data-protocol/action-response.md at c6f15b5): 1xxxx (a bad
// request, an unsupported action or segment) and 35xxx (a logic error: the
// message is already deleted, the member already gone) are permanent, as are
// HTTP 401, 404, 405 and 415; 2xxxx, other 3xxxx, HTTP 5xx and network
// errors are worth retrying. A Remove remembers that its kick succeeded, so
// that a retry after a failed notice only posts the notice. After a crash, an
// action that was in flight may be performed again from its first step; the
// kick of a member already gone then fails permanently and the notice is not
// posted twice.
//
// # What is lost in a crash
//
// The webhook answers 204 once an event is queued, before the runner has
// journaled it; the events queued but not yet received when the process dies
// are lost (the implementation does not send them again). Config.QueueN
// bounds that loss; a full queue makes the handler wait, and the
// implementation's timeout then decides.
package onebot
