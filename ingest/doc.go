// Package ingest turns chat-history exports of WeChat groups into qunops
// events.
//
// # Formats
//
// Eight exports are read, named as the CLI's -from flag names them (see
// [Formats]); [Auto] recognises which one an input is from its header row or
// first JSON object, and [Reader.Format] says which it chose:
//
//   - [Chatlog]: the JSON array of messages of chatlog's HTTP API (keys seq,
//     time, talker, talkerName, isChatRoom, sender, senderName, isSelf, type,
//     subType, content);
//   - [ChatlogCSV]: chatlog's CSV (Time,SenderName,Sender,TalkerName,Talker,
//     Content), naive local times, no type column: the kind is read from the
//     placeholder chatlog writes ("![图片](...)", "[链接|...]");
//   - [WeChatMsg]: WeChatMsg (MemoTrace) CSV (localId,TalkerId,Type,SubType,
//     IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender),
//     UTF-8 with a BOM and no group column: the caller names the group;
//   - [PyWxDump]: PyWxDump's CSV (id,MsgSvrID,type_name,is_sender,talker,
//     room_name,msg,src,CreateTime), naive local times, Chinese type names;
//   - [WeChatMsg2]: the CSV of WeChatMsg's WeChat 4.0 rewrite (消息ID,类型,
//     发送人,时间,内容,备注,昵称,更多信息): no wxid and no group column;
//   - [PyWxDumpContent]: PyWxDump 2.4.18-3.0.40's CSV, whose content column
//     is a JSON object {"src","msg"};
//   - [PyWxDumpJSON]: PyWxDump 3.1's JSON export, with the users.json beside
//     it read by [ReadPyWxDumpUsers] into [Options].Contacts;
//   - [ChatLab]: ChatLab's open chat-record format (JSON or JSON Lines), as
//     WeFlow writes it for WeChat 4.x.
//
// # Model
//
// Each row of a group chat becomes events: a member's message becomes a
// message event whose Kind comes from WeChat's type code ([KindOf]); a
// system message (type 10000) that says who joined or left becomes join and
// leave events, one per member named, with the inviter or remover as Actor
// and, on a join, the channel the notice names as Kind (seed F14, F15:
// [qunops.JoinInvite], [qunops.JoinQR], [qunops.JoinInviteQR]):
//
//	"A"邀请"B、C"加入了群聊            joins of B and C, actor A, kind invite
//	"B"通过扫描"A"分享的二维码加入群聊  join of B, actor A, kind qr
//	"B"通过"A"的邀请二维码加入群聊      join of B, actor A, kind invite-qr
//	你邀请"B"加入了群聊                join of B, actor you, kind invite
//	"A"邀请你加入了群聊，群聊参与人还有：B、C
//	                                   join of you, actor A; roster events of B, C
//	你将"B"移出了群聊                  leave of B, actor you
//	你被"A"移出群聊                    leave of you, actor A
//	"A"修改群名为“X”                   title of A, text X (the new group name)
//	你修改群名为“X”                    title of you, text X
//
// One notice parser serves every format. It reads WeChat's plain-text
// notices in Chinese and in English ("林小雨 invited 新人小刘 to the group
// chat", "You removed "X" from the group chat", QR joins by a member's code
// or the account's), and the XML the database keeps for some of them
// (sysmsgtemplate: invitations, the account's own, QR joins, renames;
// delchatroommember: removals, joins by the account's QR code), whose member
// lists carry each member's wxid.
//
// Names carry chatlog's "(wxid)" suffix in chatlog's renderings of XML
// notices; then the member id is the wxid. Without it, a name is looked up
// in [Options].Members, then in the export's own [Directory] (the sender id
// and display name of every row), and otherwise becomes the id [NamePrefix]
// + name ("name:Bob"): the event says that its member was matched by
// display name only, and [ByName] tells. A name two members carried stays
// "name:" too. "你" is the exporting account: [Options].Self, else the id
// on the account's own rows (isSelf, IsSender, is_sender). System messages
// that say anything else (pats, recalls, tips) give no event. Rows of
// private chats give none either. Nothing is dropped silently: each row
// that gives no event and each name left unresolved is counted, with its
// reason and first lines, in [Reader.Summary].
//
// A rename of the group itself becomes a [qunops.Title] event whose Member
// is the renamer, resolved like any actor, and whose Text is the new name;
// [Stats].GroupRenames counts them. (The vocabulary's rename event is a
// member's display name, which WeChat's notices do not announce.)
//
// Leaving a group by oneself produces no message at all. [Diff] compares two
// member-list snapshots and returns a leave event for each member who is
// gone, marked as inferred ([Inferred], [InferredPrefix]).
//
// # Times and IDs
//
// Naive times are read in [Options].Location, which like every nil location
// in the SDK defaults to Asia/Shanghai ([qunops.DefaultLocation]): the
// exporters write the phone's wall clock. Unix timestamps (wechatmsg) and times with an offset (chatlog JSON) are
// exact. Every event carries a source-prefixed ID (chatlog:<seq>,
// wechatmsg:<localId>, pywxdump:<MsgSvrID>, or for chatlog CSV without a seq
// column chatlog-csv:<talker>:<time>:<sender>:<n>), so that importing an
// export twice gives the same IDs and a consumer that ignores repeated IDs
// (metrics.Tracker) counts each row once.
//
// # Choosing an API
//
// [NewReader] and [Reader.Decode] stream, like the root package's
// [qunops.Decoder]: one event at a time, a *[RowError] (with the row's line)
// for a bad row after which reading goes on, io.EOF at the end, and
// [Reader.Stats] for the counts. [Reader.All] is the same loop as an
// iterator for range. [Import] wraps it with a callback, for callers who only
// want the events and a report.
//
// # What it does not do
//
// It does not decrypt or read WeChat databases, download media or parse the
// XML of app messages; it reads the files the exporters write. It does not
// guess a time zone other than the SDK's default, nor merge a member matched by name with the same
// member's wxid (pass [Options].Members for that). Private chats are skipped.
//
// # Concurrency and costs
//
// A [Reader] is not safe for concurrent use; separate Readers are
// independent. Memory is constant for the CSV formats (one record, a 4 KiB
// buffer; a record over [qunops.MaxLineBytes] is a row error, not held) and
// for chatlog JSON holds one array element; group renames are kept, one small
// record each, and the [Directory], one entry per distinct (group, name, id).
// Time is linear in the input, which a Reader reads twice when it can seek
// (once for the directory). The package
// holds no mutable global state and does no I/O besides reading the given
// io.Reader.
package ingest
