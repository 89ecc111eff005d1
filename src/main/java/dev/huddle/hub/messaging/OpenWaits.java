package dev.huddle.hub.messaging;

import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.MessageStore;

import java.util.List;

/** What a project's agents wait for, read at one moment: pending asks, open obligations, unread mail per recipient. */
public record OpenWaits(List<Ask> asks, List<Message> obligations, List<MessageStore.Unread> unread) {}
