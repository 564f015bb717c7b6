<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiErrors</name>
    <message>
        <source>The server reported an error: {msg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If it keeps happening, contact support and quote request id {request_id}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coze rejected the access token. Tokens from coze.cn and coze.com are different: a token only works with the site it was created on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the token, and check that the server (api.coze.cn or api.coze.com) matches the site the token came from, or create a new token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiniMax rejected the API key. China keys only work on api.minimaxi.com and international keys only on api.minimax.io.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the key, and pick the server that matches the region the key came from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token does not have the &quot;{permission}&quot; permission this action needs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the token on the Coze website, enable &quot;{permission}&quot;, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token is not allowed to do this.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the token on the service&apos;s website and enable the missing permission.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This API key has no access to that voice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the voice belongs to the account the key comes from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coze blocked this request for security reasons (risk control).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact Coze support and quote request id {request_id}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The group or voiceprint no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the list; someone may have deleted it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server rejected the request: {msg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the values you entered and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The voice id is not valid: {msg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh the voice list and pick the voice again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server received no audio: the file was empty or not sent as a form upload.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a non-empty wav or pcm file and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server received more than one file; it accepts exactly one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload a single audio file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audio file is too large; the limit is 4 MB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a shorter recording (a clip of 10 to 30 seconds is enough).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file type is not supported; only wav and pcm are accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Convert the recording to wav or to pcm (16 kHz, mono, 16-bit).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not read the audio file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the file plays, re-record or convert it, and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests right now; the server asked us to slow down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait a moment and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account has reached its daily cap for this kind of request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again tomorrow.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service is busy (system-wide request cap reached).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait a few minutes and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server had an internal problem.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again later. If it keeps happening, contact support and quote request id {request_id}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The MiniMax account has insufficient balance.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top up the account on the MiniMax website, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check your internet connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check your internet connection and the server address in the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server broke off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again; if it keeps happening, check your network or proxy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secure connection to the server failed (certificate or TLS problem).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the system clock, the server address and any proxy or antivirus that inspects HTTPS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A network problem stopped the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent a response the app could not understand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again later; if you use a custom server address, check that it is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{msg}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the value and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The upload was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the upload again when you are ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speaker identification is not available in the offline workspace yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to a Coze workspace to identify speakers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Voiceprint Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voiceprints (Coze)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voices (MiniMax)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline workspace (no token configured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coze: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Pager</name>
    <message numerus="yes">
        <source>%n per page</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>First page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last page</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Page %1 of %2 · %n item(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
