<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CallBudgetText</name>
    <message numerus="yes">
        <source>Careful: this needs about %n API call(s), but only %1 of the free plan&apos;s %2 calls are left by this app&apos;s count. When they are used up, Coze locks the account out of the API. If the account has a paid plan, say so in Connection &gt; Token….</source>
        <translation>
            <numerusform>Careful: this needs about %n API call, but only %1 of the free plan&apos;s %2 calls are left by this app&apos;s count. When they are used up, Coze locks the account out of the API. If the account has a paid plan, say so in Connection &gt; Token….</numerusform>
            <numerusform>Careful: this needs about %n API calls, but only %1 of the free plan&apos;s %2 calls are left by this app&apos;s count. When they are used up, Coze locks the account out of the API. If the account has a paid plan, say so in Connection &gt; Token….</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The Coze token expires in about %n day(s) (tokens last at most 30 days). Create a new one on the Coze website before then.</source>
        <translation>
            <numerusform>The Coze token expires in about %n day (tokens last at most 30 days). Create a new one on the Coze website before then.</numerusform>
            <numerusform>The Coze token expires in about %n days (tokens last at most 30 days). Create a new one on the Coze website before then.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This app has made %n API call(s) with this connection.</source>
        <translation>
            <numerusform>This app has made %n API call with this connection.</numerusform>
            <numerusform>This app has made %n API calls with this connection.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About %n call(s) left on the free plan.</source>
        <translation>
            <numerusform>About %n call left on the free plan.</numerusform>
            <numerusform>About %n calls left on the free plan.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The token was saved %n day(s) ago (Coze tokens last at most 30 days).</source>
        <translation>
            <numerusform>The token was saved %n day ago (Coze tokens last at most 30 days).</numerusform>
            <numerusform>The token was saved %n days ago (Coze tokens last at most 30 days).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeleteResultDialog</name>
    <message numerus="yes">
        <source>%n group(s) deleted.</source>
        <translation>
            <numerusform>%n group deleted.</numerusform>
            <numerusform>%n groups deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) could not be deleted; see why below.</source>
        <translation>
            <numerusform>%n group could not be deleted; see why below.</numerusform>
            <numerusform>%n groups could not be deleted; see why below.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GroupsPanel</name>
    <message numerus="yes">
        <source>Delete the group “%1” and its %n voiceprint(s)?</source>
        <translation>
            <numerusform>Delete the group “%1” and its %n voiceprint?</numerusform>
            <numerusform>Delete the group “%1” and its %n voiceprints?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete these %1 groups and their %n voiceprint(s)?</source>
        <translation>
            <numerusform>Delete these %1 groups and their %n voiceprint?</numerusform>
            <numerusform>Delete these %1 groups and their %n voiceprints?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n voiceprint(s))</source>
        <translation>
            <numerusform>%1 (%n voiceprint)</numerusform>
            <numerusform>%1 (%n voiceprints)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…and %n more</numerusform>
            <numerusform>…and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n group(s)…</source>
        <translation>
            <numerusform>Deleting %n group…</numerusform>
            <numerusform>Deleting %n groups…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) deleted.</source>
        <translation>
            <numerusform>%n group deleted.</numerusform>
            <numerusform>%n groups deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdentifyDialog</name>
    <message numerus="yes">
        <source>%n voiceprint(s) in this group.</source>
        <translation>
            <numerusform>%n voiceprint in this group.</numerusform>
            <numerusform>%n voiceprints in this group.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message numerus="yes">
        <source>no room: the group holds %n voiceprint(s) at most</source>
        <translation>
            <numerusform>no room: the group holds %n voiceprint at most</numerusform>
            <numerusform>no room: the group holds %n voiceprints at most</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n will not fit and will be skipped.</source>
        <translation>
            <numerusform>%n will not fit and will be skipped.</numerusform>
            <numerusform>%n will not fit and will be skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n will be skipped; each one&apos;s row says why.</source>
        <translation>
            <numerusform>%n will be skipped; its row says why.</numerusform>
            <numerusform>%n will be skipped; each one&apos;s row says why.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n voiceprint(s)</source>
        <translation>
            <numerusform>%n voiceprint</numerusform>
            <numerusform>%n voiceprints</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MiniMaxPanel</name>
    <message numerus="yes">
        <source>%n voice(s)</source>
        <translation>
            <numerusform>%n voice</numerusform>
            <numerusform>%n voices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n shown</source>
        <translation>
            <numerusform>%n shown</numerusform>
            <numerusform>%n shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n voice(s)? After deletion these voice ids can never be used again, not even for new voices.</source>
        <translation>
            <numerusform>Delete %n voice? After deletion this voice id can never be used again, not even for a new voice.</numerusform>
            <numerusform>Delete %n voices? After deletion these voice ids can never be used again, not even for new voices.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n selected voice(s) will be kept: system voices and other kinds cannot be deleted.</source>
        <translation>
            <numerusform>%n selected voice will be kept: system voices and other kinds cannot be deleted.</numerusform>
            <numerusform>%n selected voices will be kept: system voices and other kinds cannot be deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n voice(s)…</source>
        <translation>
            <numerusform>Deleting %n voice…</numerusform>
            <numerusform>Deleting %n voices…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n voice(s).</source>
        <translation>
            <numerusform>Deleted %n voice.</numerusform>
            <numerusform>Deleted %n voices.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n voice(s) could not be deleted.</source>
        <translation>
            <numerusform>%n voice could not be deleted.</numerusform>
            <numerusform>%n voices could not be deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MultiGroupWords</name>
    <message numerus="yes">
        <source>The group is full (%n voiceprints).</source>
        <translation>
            <numerusform>The group is full (%n voiceprint).</numerusform>
            <numerusform>The group is full (%n voiceprints).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n group</numerusform>
            <numerusform>%n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Adding to %1 makes about %n API call(s) on the Coze account: %2 to check that the groups still have room, then one upload per group.</source>
        <translation>
            <numerusform>Adding to %1 makes about %n API call on the Coze account: %2 to check that the groups still have room, then one upload per group.</numerusform>
            <numerusform>Adding to %1 makes about %n API calls on the Coze account: %2 to check that the groups still have room, then one upload per group.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added to %1 of %n group(s).</source>
        <translation>
            <numerusform>Added to %1 of %n group.</numerusform>
            <numerusform>Added to %1 of %n groups.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NameDescFields</name>
    <message numerus="yes">
        <source>The name is too long: use at most %n character(s).</source>
        <translation>
            <numerusform>The name is too long: use at most %n character.</numerusform>
            <numerusform>The name is too long: use at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The description is too long: use at most %n character(s).</source>
        <translation>
            <numerusform>The description is too long: use at most %n character.</numerusform>
            <numerusform>The description is too long: use at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n character(s) too many.</source>
        <translation>
            <numerusform>%n character too many.</numerusform>
            <numerusform>%n characters too many.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pager</name>
    <message numerus="yes">
        <source>%n per page</source>
        <translation>
            <numerusform>%n per page</numerusform>
            <numerusform>%n per page</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Page %1 of %2 · %n item(s)</source>
        <translation>
            <numerusform>Page %1 of %2 · %n item</numerusform>
            <numerusform>Page %1 of %2 · %n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecentlyDeletedDialog</name>
    <message numerus="yes">
        <source>%n deletion(s)</source>
        <translation>
            <numerusform>%n deletion</numerusform>
            <numerusform>%n deletions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The group “%1” already has voiceprint(s) named %2, with other audio (enrolled again since the delete, perhaps). Restoring makes a second voiceprint of each of those names. Restore?</source>
        <translation>
            <numerusform>The group “%1” already has a voiceprint named %2, with other audio (enrolled again since the delete, perhaps). Restoring makes a second voiceprint of that name. Restore?</numerusform>
            <numerusform>The group “%1” already has voiceprints named %2, with other audio (enrolled again since the delete, perhaps). Restoring makes a second voiceprint of each of those names. Restore?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored: %n voiceprint(s) with new ids.</source>
        <translation>
            <numerusform>Restored: %n voiceprint, with a new id.</numerusform>
            <numerusform>Restored: %n voiceprints, with new ids.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored: %n voiceprint(s) with new ids; agents that use the old ids need the new ones.</source>
        <translation>
            <numerusform>Restored: %n voiceprint, with a new id; agents that use the old id need the new one.</numerusform>
            <numerusform>Restored: %n voiceprints, with new ids; agents that use the old ids need the new ones.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forget the %n deletion(s) kept here (%1), from every workspace? They cannot be restored afterwards.</source>
        <translation>
            <numerusform>Forget the deletion kept here (%1)? It cannot be restored afterwards.</numerusform>
            <numerusform>Forget all %n deletions kept here (%1), from every workspace? They cannot be restored afterwards.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecorderPanel</name>
    <message numerus="yes">
        <source>Cannot be used yet: %n problem(s) to fix, listed below.</source>
        <translation>
            <numerusform>Cannot be used yet: %n problem to fix, listed below.</numerusform>
            <numerusform>Cannot be used yet: %n problems to fix, listed below.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message numerus="yes">
        <source>%n transfer(s) did not finish — Resume…</source>
        <translation>
            <numerusform>%n transfer did not finish — Resume…</numerusform>
            <numerusform>%n transfers did not finish — Resume…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TransferWords</name>
    <message numerus="yes">
        <source>The name is too long: use at most %n character(s).</source>
        <translation>
            <numerusform>The name is too long: use at most %n character.</numerusform>
            <numerusform>The name is too long: use at most %n characters.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s)</source>
        <translation>
            <numerusform>%n voiceprint</numerusform>
            <numerusform>%n voiceprints</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n group</numerusform>
            <numerusform>%n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) with all their voiceprints</source>
        <translation>
            <numerusform>%n group with all its voiceprints</numerusform>
            <numerusform>%n groups with all their voiceprints</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n created</source>
        <translation>
            <numerusform>%n created</numerusform>
            <numerusform>%n created</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already there</source>
        <translation>
            <numerusform>%n already there</numerusform>
            <numerusform>%n already there</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n original(s) deleted</source>
        <translation>
            <numerusform>%n original deleted</numerusform>
            <numerusform>%n originals deleted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n done by an earlier run</source>
        <translation>
            <numerusform>%n done by an earlier run</numerusform>
            <numerusform>%n done by earlier runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VoiceprintsPanel</name>
    <message numerus="yes">
        <source>%n voiceprint(s)</source>
        <translation>
            <numerusform>%n voiceprint</numerusform>
            <numerusform>%n voiceprints</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This group is full: it has %n voiceprints, the most Coze allows. Delete a voiceprint first to add another.</source>
        <translation>
            <numerusform>This group is full: it has %n voiceprint, the most Coze allows. Delete a voiceprint first to add another.</numerusform>
            <numerusform>This group is full: it has %n voiceprints, the most Coze allows. Delete a voiceprint first to add another.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The group is full (%n voiceprints). Delete a voiceprint first to add another.</source>
        <translation>
            <numerusform>The group is full (%n voiceprint). Delete a voiceprint first to add another.</numerusform>
            <numerusform>The group is full (%n voiceprints). Delete a voiceprint first to add another.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WorkspaceRecoveryDialog</name>
    <message numerus="yes">
        <source>The offline workspace&apos;s database file is missing, but %n recording(s) are still in its folder.</source>
        <translation>
            <numerusform>The offline workspace&apos;s database file is missing, but %n recording is still in its folder.</numerusform>
            <numerusform>The offline workspace&apos;s database file is missing, but %n recordings are still in its folder.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The offline workspace&apos;s database file is empty, but %n recording(s) are still in its folder.</source>
        <translation>
            <numerusform>The offline workspace&apos;s database file is empty, but %n recording is still in its folder.</numerusform>
            <numerusform>The offline workspace&apos;s database file is empty, but %n recordings are still in its folder.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The offline workspace&apos;s database file is damaged and cannot be read. %n recording(s) are in its folder.</source>
        <translation>
            <numerusform>The offline workspace&apos;s database file is damaged and cannot be read. %n recording is in its folder.</numerusform>
            <numerusform>The offline workspace&apos;s database file is damaged and cannot be read. %n recordings are in its folder.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) restored.</source>
        <translation>
            <numerusform>%n group restored.</numerusform>
            <numerusform>%n groups restored.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s) restored.</source>
        <translation>
            <numerusform>%n voiceprint restored.</numerusform>
            <numerusform>%n voiceprints restored.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recording(s) without a name were moved to {folder}; add them again to enroll them.</source>
        <translation>
            <numerusform>%n recording without a name was moved to {folder}; add it again to enroll it.</numerusform>
            <numerusform>%n recordings without a name were moved to {folder}; add them again to enroll them.</numerusform>
        </translation>
    </message>
</context>
</TS>
