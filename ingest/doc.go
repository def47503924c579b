// Package ingest turns chat-history exports of WeChat groups into qunops
// events.
//
// # Formats
//
// Four exports are read, named as the CLI's --from flag names them (see
// [Formats]):
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
//     room_name,msg,src,CreateTime), naive local times, Chinese type names.
//
// # Model
//
// Each row of a group chat becomes events: a member's message becomes a
// message event whose Kind comes from WeChat's type code ([KindOf]); a
// system message (type 10000) that says who joined or left becomes join and
// leave events, one per member named, with the inviter or remover as Actor:
//
//	"A"邀请"B、C"加入了群聊            joins of B and C, actor A
//	"B"通过扫描"A"分享的二维码加入群聊  join of B, actor A
//	你邀请"B"加入了群聊                join of B, actor you
//	"A"邀请你加入了群聊，群聊参与人还有：B、C
//	                                   join of you, actor A; roster events of B, C
//	你将"B"移出了群聊                  leave of B, actor you
//	你被"A"移出群聊                    leave of you, actor A
//	"A"修改群名为“X”                   a [GroupRename] (no event: see below)
//
// Names carry chatlog's "(wxid)" suffix in chatlog exports; then the member
// id is the wxid. Without it, a name is looked up in [Options].Members and
// otherwise becomes the id [NamePrefix] + name ("name:Bob"): the event says
// that its member was matched by display name only, and [ByName] tells. "你"
// is the exporting account, [Options].Self. System messages that say
// anything else (pats, recalls, tips) give no event. Rows of private chats
// give none either.
//
// A group rename is not a member event (the vocabulary's rename is a
// member's display name), so a [Reader] keeps renames aside:
// [Reader.GroupRenames].
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
// buffer) and for chatlog JSON holds one array element; group renames are
// kept, one small record each. Time is linear in the input. The package
// holds no mutable global state and does no I/O besides reading the given
// io.Reader.
package ingest
