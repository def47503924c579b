// Package telegram connects a qunops bot to Telegram groups through the Bot
// API, with the client github.com/go-telegram/bot v1.19.0.
//
// # Events in
//
// [Transport.Receive] (a bot.Source) long-polls getUpdates through the
// client's own poller and maps each update with [Events]:
//
//	message.new_chat_members  → one qunops.Join per member (Actor: the adder, if not the member)
//	message.left_chat_member  → qunops.Leave (Actor: the remover, if not the member)
//	message.new_chat_title    → qunops.Title: Member the renamer (from, or sender_chat), Text the new title
//	message                   → qunops.Message; Kind from the content: photo, animation → image,
//	                            sticker, document, audio → file, voice, video, video_note → video,
//	                            location, venue → location, contact → card, poll, dice → other,
//	                            a forward → forward; Text is the text or caption
//	edited_message            → rescanned: a qunops.Message with the edited text (see below)
//	"/report" or "/resolve" replying to a message
//	                          → qunops.Report / qunops.Resolve about the replied-to sender (ours)
//
// Group and member ids are the chat and user ids in decimal; a message sent
// on behalf of a chat (an anonymous admin, a channel) has that chat's id as
// its Member. The URL of a text_link entity is appended to Text, so that a
// link hidden behind a word still meets the link rule.
//
// Event IDs are "telegram:<chat>:<message_id>", the key Telegram itself
// gives a message (a new title's service message too); a join adds
// ":join:<user>" and an edit ":edit:<edit_date>".
// An update delivered twice (the poller restarted before its offset was
// acknowledged) has the same ID and the engine drops it.
//
// Edited messages are rescanned, not ignored: a member can post an
// innocent line and edit a link into it a minute later, so each edit is a
// message of its own, stamped with its edit time. It counts toward the
// flood rule like a message.
//
// Telegram does not send a bot its own messages, so there is no echo to
// drop; [Transport.SelfID] is the bot's id for Policy.Self all the same.
// Should the service message of the bot's own setChatTitle reach a poller
// all the same (a second poller of the same token, a local Bot API server),
// its from is the bot: it maps to a Title whose Member is SelfID, which the
// engine records and answers with nothing, so a Retitle never answers
// itself.
// Large supergroups may omit the join and leave service messages; this
// package does not read chat_member updates.
//
// # Actions out
//
// [Transport.Perform] (a bot.Sink):
//
//	Welcome, Warn, Reply, Remind, Post → sendMessage to the group, the mentioned members first: "@username"
//	                                     for a member whose username is known, else a text_mention entity
//	Remove                             → banChatMember, unbanChatMember (only_if_banned), sendMessage
//	Notify, Escalate                   → sendMessage to the admin's private chat (user id = chat id)
//	Recall                             → deleteMessage
//	Retitle                            → setChatTitle (chat_id: the group, title: Text)
//	Blacklist                          → nothing (the engine keeps the blacklist)
//
// A Remove is a kick: ban then unban, so that the engine, which keeps the
// blacklist with its expiry and the admins' Lift, stays the one authority;
// a blacklisted member who comes back is removed again at the join.
// banChatMember of a member already gone and unbanChatMember with
// only_if_banned both succeed, so a Remove performed twice after a crash
// does no harm beyond a second notice. A retried Remove skips the steps that
// succeeded. deleteMessage of a message already deleted is a "Bad Request"
// and permanent. setChatTitle to the title the chat already has ("Bad
// Request: chat title is not modified", as a retried Retitle whose first
// answer was lost gets) counts as done. setChatTitle needs the bot to be an
// administrator with can_change_info; without it the 400 is permanent.
//
// Errors: 400, 401, 403, 404 and 409 answers, and a chat migrated to a
// supergroup, are permanent (bot.Permanent); 429 and network errors are
// retried by the runner.
//
// # What is lost in a crash
//
// The client acknowledges an update (the offset of its next getUpdates)
// once it has handed the update's batch over, and Receive hands updates
// over one at a time without a buffer; so the last update of a batch may be
// acknowledged before the runner has journaled it, and is lost if the
// process dies in that instant. The rest are delivered again, and dedupe.
package telegram
