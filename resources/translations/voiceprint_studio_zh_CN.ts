<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiErrors</name>
    <message>
        <source>The server reported an error: {msg}</source>
        <translation>服务器返回了错误：{msg}</translation>
    </message>
    <message>
        <source>If it keeps happening, contact support and quote request id {request_id}.</source>
        <translation>如果问题反复出现，请联系技术支持，并提供请求 ID {request_id}。</translation>
    </message>
    <message>
        <source>Coze rejected the access token: it is wrong or has expired, or it was created on the other Coze site (coze.cn and coze.com tokens are different).</source>
        <translation>扣子拒绝了此访问令牌：令牌有误或已过期，或者它是在另一个扣子站点创建的（coze.cn 与 coze.com 的令牌互不通用）。</translation>
    </message>
    <message>
        <source>Paste the token again or create a new one on the Coze website, and choose the connection that matches the site the token came from.</source>
        <translation>请重新粘贴令牌，或在扣子网站上新建一个令牌，并选择与令牌来源站点一致的连接。</translation>
    </message>
    <message>
        <source>Coze rejected the access token. It was saved {days} days ago and Coze tokens last at most 30 days, so it has probably expired.</source>
        <translation>扣子拒绝了此访问令牌。它是 {days} 天前保存的，而扣子令牌最长有效 30 天，所以它很可能已经过期。</translation>
    </message>
    <message>
        <source>Create a new token on the Coze website and paste it in Connection &gt; Token….</source>
        <translation>请在扣子网站上新建一个令牌，并粘贴到“连接 &gt; 令牌与密钥…”中。</translation>
    </message>
    <message>
        <source>The service rejected the sign-in: {msg}</source>
        <translation>服务拒绝了登录：{msg}</translation>
    </message>
    <message>
        <source>Paste the token again or create a new one, then try again.</source>
        <translation>请重新粘贴令牌或新建一个令牌，然后重试。</translation>
    </message>
    <message>
        <source>MiniMax rejected the API key. China keys only work on api.minimaxi.com and international keys only on api.minimax.io.</source>
        <translation>MiniMax 拒绝了此 API 密钥。中国区密钥只能用于 api.minimaxi.com，国际版密钥只能用于 api.minimax.io。</translation>
    </message>
    <message>
        <source>Check the key, and pick the server that matches the region the key came from.</source>
        <translation>请检查密钥是否正确，并选择与密钥所属区域一致的服务器。</translation>
    </message>
    <message>
        <source>Coze refused this action (code 4101). Coze gives this answer for three different reasons: the access token lacks the &quot;{permission}&quot; permission; the token is wrong; or the group or voiceprint belongs to another workspace or was created by someone else. Coze said: {msg}</source>
        <translation>扣子拒绝了此操作（代码 4101）。扣子在三种不同情况下都会这样回答：访问令牌缺少“{permission}”权限；令牌有误；或者该声纹组或声纹属于另一个工作空间，或是由其他人创建的。扣子的原话：{msg}</translation>
    </message>
    <message>
        <source>Check each in turn: enable &quot;{permission}&quot; on the token on the Coze website; paste the token again (or create a new one); and make sure the item was created by this account, in this token&apos;s workspace.</source>
        <translation>请逐一检查：在扣子网站上为令牌开启“{permission}”权限；重新粘贴令牌（或新建一个）；并确认该项目是由此账号在此令牌所属的工作空间中创建的。</translation>
    </message>
    <message>
        <source>The service refused this action. Possible reasons: the access token lacks a permission this action needs; the token is wrong; or the item belongs to another workspace or was created by someone else. The service said: {msg}</source>
        <translation>服务拒绝了此操作。可能的原因：访问令牌缺少此操作所需的权限；令牌有误；或者该项目属于另一个工作空间，或是由其他人创建的。服务的原话：{msg}</translation>
    </message>
    <message>
        <source>Check the token&apos;s permissions on the service&apos;s website, paste the token again, and make sure the item was created by this account.</source>
        <translation>请在服务网站上检查令牌的权限，重新粘贴令牌，并确认该项目是由此账号创建的。</translation>
    </message>
    <message>
        <source>This API key has no access to that voice.</source>
        <translation>此 API 密钥无权访问该音色。</translation>
    </message>
    <message>
        <source>Check that the voice belongs to the account the key comes from.</source>
        <translation>请确认该音色属于此密钥所在的账号。</translation>
    </message>
    <message>
        <source>Coze blocked this request for security reasons (risk control).</source>
        <translation>出于安全原因（风控），扣子拦截了此请求。</translation>
    </message>
    <message>
        <source>Contact Coze support and quote request id {request_id}.</source>
        <translation>请联系扣子技术支持，并提供请求 ID {request_id}。</translation>
    </message>
    <message>
        <source>The group or voiceprint no longer exists.</source>
        <translation>该声纹组或声纹已不存在。</translation>
    </message>
    <message>
        <source>Refresh the list; someone may have deleted it.</source>
        <translation>请刷新列表，它可能已被其他人删除。</translation>
    </message>
    <message>
        <source>The server at this address does not offer this function (HTTP 404 without the service&apos;s answer): {msg}</source>
        <translation>此地址上的服务器不提供该功能（HTTP 404，且不是该服务的应答）：{msg}</translation>
    </message>
    <message>
        <source>Check the connection: Coze&apos;s voiceprint functions are documented for Coze China (api.coze.cn) only, and a custom server address may be wrong.</source>
        <translation>请检查连接：扣子的声纹功能只在扣子中国版（api.coze.cn）的文档中有说明；如果使用自定义服务器地址，地址可能有误。</translation>
    </message>
    <message>
        <source>The server rejected the request: {msg}</source>
        <translation>服务器拒绝了此请求：{msg}</translation>
    </message>
    <message>
        <source>Check the values you entered and try again.</source>
        <translation>请检查输入的内容，然后重试。</translation>
    </message>
    <message>
        <source>The voice id is not valid: {msg}</source>
        <translation>音色 ID 无效：{msg}</translation>
    </message>
    <message>
        <source>Refresh the voice list and pick the voice again.</source>
        <translation>请刷新音色列表，然后重新选择音色。</translation>
    </message>
    <message>
        <source>The server received no audio: the file was empty or not sent as a form upload.</source>
        <translation>服务器未收到音频：文件为空，或未以表单方式上传。</translation>
    </message>
    <message>
        <source>Pick a non-empty wav or pcm file and try again.</source>
        <translation>请选择一个非空的 wav 或 pcm 文件，然后重试。</translation>
    </message>
    <message>
        <source>The server received more than one file; it accepts exactly one.</source>
        <translation>服务器收到了多个文件，但每次只接受一个文件。</translation>
    </message>
    <message>
        <source>Upload a single audio file.</source>
        <translation>请只上传一个音频文件。</translation>
    </message>
    <message>
        <source>The audio file is too large; the limit is 4 MB.</source>
        <translation>音频文件过大，上限为 4 MB。</translation>
    </message>
    <message>
        <source>Use a shorter recording (a clip of 10 to 30 seconds is enough).</source>
        <translation>请使用较短的录音（10 到 30 秒的片段即可）。</translation>
    </message>
    <message>
        <source>The file type is not supported; only wav and pcm are accepted.</source>
        <translation>不支持此文件类型，仅支持 wav 和 pcm。</translation>
    </message>
    <message>
        <source>Convert the recording to wav or to pcm (16 kHz, mono, 16-bit).</source>
        <translation>请将录音转换为 wav 或 pcm 格式（16 kHz、单声道、16 位）。</translation>
    </message>
    <message>
        <source>The server could not read the audio file.</source>
        <translation>服务器无法读取该音频文件。</translation>
    </message>
    <message>
        <source>Check that the file plays, re-record or convert it, and try again.</source>
        <translation>请确认文件能正常播放，或重新录制、转换格式后重试。</translation>
    </message>
    <message>
        <source>Too many requests right now; the server asked us to slow down.</source>
        <translation>当前请求过于频繁，服务器要求降低请求频率。</translation>
    </message>
    <message>
        <source>Wait a moment and try again.</source>
        <translation>请稍等片刻后重试。</translation>
    </message>
    <message>
        <source>Your account has reached its daily cap for this kind of request.</source>
        <translation>您的账号今日此类请求的次数已达上限。</translation>
    </message>
    <message>
        <source>Try again tomorrow.</source>
        <translation>请明天再试。</translation>
    </message>
    <message>
        <source>The service is busy (system-wide request cap reached).</source>
        <translation>服务繁忙（已达到系统整体请求上限）。</translation>
    </message>
    <message>
        <source>Wait a few minutes and try again.</source>
        <translation>请等待几分钟后重试。</translation>
    </message>
    <message>
        <source>The server had an internal problem.</source>
        <translation>服务器内部出现问题。</translation>
    </message>
    <message>
        <source>Try again later. If it keeps happening, contact support and quote request id {request_id}.</source>
        <translation>请稍后重试。如果问题反复出现，请联系技术支持，并提供请求 ID {request_id}。</translation>
    </message>
    <message>
        <source>The MiniMax account has insufficient balance.</source>
        <translation>MiniMax 账号余额不足。</translation>
    </message>
    <message>
        <source>Top up the account on the MiniMax website, then try again.</source>
        <translation>请在 MiniMax 网站上为账号充值，然后重试。</translation>
    </message>
    <message>
        <source>The Coze account&apos;s balance is too low for this call (code 4011). Speaker identification is billed per call.</source>
        <translation>扣子账号余额不足，无法完成此调用（代码 4011）。声纹识别按次计费。</translation>
    </message>
    <message>
        <source>Top up the account or change its plan on the Coze website, then try again.</source>
        <translation>请在扣子网站上为账号充值或更换套餐，然后重试。</translation>
    </message>
    <message>
        <source>The Coze account is in arrears (code 4019): Coze refuses calls until the overdue amount is paid. Speaker identification is billed per call.</source>
        <translation>扣子账号已欠费（代码 4019）：在结清欠款之前，扣子会拒绝调用。声纹识别按次计费。</translation>
    </message>
    <message>
        <source>Pay the outstanding bill on the Coze website (billing page), then try again.</source>
        <translation>请在扣子网站（费用页面）结清欠款，然后重试。</translation>
    </message>
    <message>
        <source>The MiniMax account has used up what its plan allows (code 2056).</source>
        <translation>MiniMax 账号已用完套餐允许的额度（代码 2056）。</translation>
    </message>
    <message>
        <source>Upgrade the plan or wait for its allowance to renew (see the MiniMax website), then try again.</source>
        <translation>请升级套餐，或等待额度刷新（见 MiniMax 网站），然后重试。</translation>
    </message>
    <message>
        <source>The MiniMax account reached its plan&apos;s limit on usage per minute (code 1039).</source>
        <translation>MiniMax 账号已达到套餐的每分钟用量上限（代码 1039）。</translation>
    </message>
    <message>
        <source>Wait a minute and try again; if it happens often, upgrade the plan on the MiniMax website.</source>
        <translation>请等一分钟后重试；如果经常出现，请在 MiniMax 网站上升级套餐。</translation>
    </message>
    <message>
        <source>The server did not answer in time.</source>
        <translation>服务器响应超时。</translation>
    </message>
    <message>
        <source>Check your internet connection and try again.</source>
        <translation>请检查网络连接，然后重试。</translation>
    </message>
    <message>
        <source>Could not connect to the server.</source>
        <translation>无法连接到服务器。</translation>
    </message>
    <message>
        <source>Check your internet connection, and the server address in the Connection menu.</source>
        <translation>请检查网络连接，以及“连接”菜单中的服务器地址。</translation>
    </message>
    <message>
        <source>The connection to the server broke off.</source>
        <translation>与服务器的连接已中断。</translation>
    </message>
    <message>
        <source>Try again; if it keeps happening, check your network or proxy.</source>
        <translation>请重试；如果问题反复出现，请检查网络或代理设置。</translation>
    </message>
    <message>
        <source>The secure connection to the server failed (certificate or TLS problem).</source>
        <translation>无法与服务器建立安全连接（证书或 TLS 问题）。</translation>
    </message>
    <message>
        <source>Check the system clock, the server address and any proxy or antivirus that inspects HTTPS.</source>
        <translation>请检查系统时间、服务器地址，以及会检查 HTTPS 流量的代理或杀毒软件。</translation>
    </message>
    <message>
        <source>A network problem stopped the request.</source>
        <translation>网络问题导致请求失败。</translation>
    </message>
    <message>
        <source>The server sent a response the app could not understand.</source>
        <translation>服务器返回了本应用无法识别的响应。</translation>
    </message>
    <message>
        <source>Try again later; if you use a custom server address, check that it is right.</source>
        <translation>请稍后重试；如果使用了自定义服务器地址，请确认地址正确。</translation>
    </message>
    <message>
        <source>{msg}</source>
        <translation>{msg}</translation>
    </message>
    <message>
        <source>Correct the value and try again.</source>
        <translation>请更正该值，然后重试。</translation>
    </message>
    <message>
        <source>The upload was cancelled.</source>
        <translation>上传已取消。</translation>
    </message>
    <message>
        <source>Start the upload again when you are ready.</source>
        <translation>准备好后，请重新开始上传。</translation>
    </message>
    <message>
        <source>Speaker identification could not run in the offline workspace.</source>
        <translation>离线工作区无法进行说话人识别。</translation>
    </message>
    <message>
        <source>Its speaker model is missing or damaged (the details say which): install Voiceprint Studio again, or switch to a Coze workspace to identify speakers.</source>
        <translation>它的说话人模型缺失或已损坏（详细信息中有说明）：请重新安装声纹工作室，或切换到扣子工作区进行识别。</translation>
    </message>
    <message>
        <source>The server did not finish answering within {seconds} seconds, so the app stopped waiting.</source>
        <translation>服务器未在 {seconds} 秒内完成应答，应用已停止等待。</translation>
    </message>
    <message>
        <source>Check your internet connection and try again. If you were saving or uploading, refresh the list first: the change may have arrived.</source>
        <translation>请检查网络连接后重试。如果刚才是在保存或上传，请先刷新列表：更改可能已经到达服务器。</translation>
    </message>
    <message>
        <source>The server sent a much larger answer than expected (over {limit}), so the app stopped reading it.</source>
        <translation>服务器返回的内容远大于预期（超过 {limit}），应用已停止读取。</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>请求已取消。</translation>
    </message>
    <message>
        <source>Start it again when you are ready.</source>
        <translation>准备好后请重新开始。</translation>
    </message>
    <message>
        <source>The disk of the offline workspace is full, so nothing was saved.</source>
        <translation>离线工作区所在的磁盘已满，没有保存任何内容。</translation>
    </message>
    <message>
        <source>Free some disk space on this computer, then try again.</source>
        <translation>请在这台电脑上释放一些磁盘空间，然后重试。</translation>
    </message>
    <message>
        <source>There is no audio address to download.</source>
        <translation>没有可下载的音频地址。</translation>
    </message>
    <message>
        <source>The audio address is not a valid URL.</source>
        <translation>音频地址不是有效的网址。</translation>
    </message>
    <message>
        <source>The audio address must be an http(s) URL.</source>
        <translation>音频地址必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <source>The file “{name}” cannot be read.</source>
        <translation>无法读取文件“{name}”。</translation>
    </message>
    <message>
        <source>The audio file changed on disk and is now empty or larger than 4 MB.</source>
        <translation>音频文件在磁盘上被修改，现在为空或超过 4 MB。</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>请输入名称。</translation>
    </message>
    <message>
        <source>The name can have at most {count} characters.</source>
        <translation>名称最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>The description must be text.</source>
        <translation>描述必须是文字。</translation>
    </message>
    <message>
        <source>The description can have at most {count} characters.</source>
        <translation>描述最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>Nothing to update: give a name or a description.</source>
        <translation>没有要更新的内容：请填写名称或描述。</translation>
    </message>
    <message>
        <source>Nothing to update: give a name, a description or new audio.</source>
        <translation>没有要更新的内容：请填写名称、描述或选择新的音频。</translation>
    </message>
    <message>
        <source>System voices cannot be deleted.</source>
        <translation>系统音色不能删除。</translation>
    </message>
    <message>
        <source>Only cloned (voice_cloning) or generated voices can be deleted.</source>
        <translation>只能删除复刻音色或生成的音色。</translation>
    </message>
    <message>
        <source>Choose a voice to delete.</source>
        <translation>请选择要删除的音色。</translation>
    </message>
    <message>
        <source>The voice id is not valid.</source>
        <translation>音色 ID 无效。</translation>
    </message>
    <message>
        <source>The server address must be text.</source>
        <translation>服务器地址必须是文字。</translation>
    </message>
    <message>
        <source>Enter a server address, such as https://api.coze.cn for Coze or https://api.minimaxi.com for MiniMax.</source>
        <translation>请输入服务器地址，例如扣子为 https://api.coze.cn，MiniMax 为 https://api.minimaxi.com。</translation>
    </message>
    <message>
        <source>The server address is not a valid URL.</source>
        <translation>服务器地址不是有效的网址。</translation>
    </message>
    <message>
        <source>The server address must start with https://.</source>
        <translation>服务器地址必须以 https:// 开头。</translation>
    </message>
    <message>
        <source>The server address has no valid host name.</source>
        <translation>服务器地址中没有有效的主机名。</translation>
    </message>
    <message>
        <source>The server address must not contain a user name or password.</source>
        <translation>服务器地址中不能包含用户名或密码。</translation>
    </message>
    <message>
        <source>The server address must not contain &apos;?&apos; or &apos;#&apos;.</source>
        <translation>服务器地址中不能包含“?”或“#”。</translation>
    </message>
    <message>
        <source>The server address has an invalid port.</source>
        <translation>服务器地址的端口无效。</translation>
    </message>
    <message>
        <source>Plain http:// is only allowed for this computer (localhost); use https://.</source>
        <translation>只有本机地址（localhost）可以使用 http://，其他地址请使用 https://。</translation>
    </message>
    <message>
        <source>Only wav and pcm files can be uploaded; convert the recording first.</source>
        <translation>只能上传 wav 和 pcm 文件，请先转换录音。</translation>
    </message>
    <message>
        <source>“{name}” is not a file.</source>
        <translation>“{name}”不是文件。</translation>
    </message>
    <message>
        <source>The audio file is empty.</source>
        <translation>音频文件是空的。</translation>
    </message>
    <message>
        <source>The audio file is larger than 4 MB; use a shorter recording.</source>
        <translation>音频文件超过 4 MB，请使用更短的录音。</translation>
    </message>
    <message>
        <source>PCM audio must be 16 kHz, mono, 16-bit; convert the recording first.</source>
        <translation>pcm 音频必须是 16 kHz、单声道、16 位，请先转换录音。</translation>
    </message>
    <message>
        <source>The PCM file has an odd number of bytes, so it is not 16-bit audio.</source>
        <translation>这个 pcm 文件的字节数为奇数，不是 16 位音频。</translation>
    </message>
    <message>
        <source>The file is not a valid wav file (no RIFF/WAVE header).</source>
        <translation>这不是有效的 wav 文件（缺少 wav 文件头）。</translation>
    </message>
</context>
<context>
    <name>CallBudget</name>
    <message>
        <source>Coze calls: %1</source>
        <translation>扣子调用：%1 次</translation>
    </message>
    <message>
        <source>Coze calls: %1 of %2</source>
        <translation>扣子调用：%1 / %2 次</translation>
    </message>
    <message>
        <source>Call budget</source>
        <translation>调用额度</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>The Coze token was saved %1 days ago; Coze tokens last at most %2 days, so it has probably expired. Create a new one and paste it in Connection &gt; Token….</source>
        <translation>扣子令牌是 %1 天前保存的；扣子令牌最长有效 %2 天，所以它很可能已经过期。请新建一个令牌，并粘贴到“连接 &gt; 令牌与密钥…”中。</translation>
    </message>
    <message>
        <source>API calls this app has made with this connection (retries included). Coze&apos;s free plan allows 500 calls in all.</source>
        <translation>本应用通过此连接发出的 API 调用次数（含重试）。扣子免费版总共只允许 500 次调用。</translation>
    </message>
    <message>
        <source>Not sure (count against the free plan&apos;s 500)</source>
        <translation>不确定（按免费版的 500 次计算）</translation>
    </message>
    <message>
        <source>Free (500 API calls in all)</source>
        <translation>免费版（总共 500 次 API 调用）</translation>
    </message>
    <message>
        <source>Paid (no fixed total)</source>
        <translation>付费版（没有固定总数）</translation>
    </message>
    <message>
        <source>Reset count</source>
        <translation>重置计数</translation>
    </message>
    <message>
        <source>Start counting from 0, e.g. after saving a token of another account.</source>
        <translation>从 0 开始重新计数，例如保存了另一个账号的令牌之后。</translation>
    </message>
    <message>
        <source>Coze &amp;plan:</source>
        <translation>扣子套餐(&amp;P)：</translation>
    </message>
</context>
<context>
    <name>CallBudgetText</name>
    <message numerus="yes">
        <source>Careful: this needs about %n API call(s), but only %1 of the free plan&apos;s %2 calls are left by this app&apos;s count. When they are used up, Coze locks the account out of the API. If the account has a paid plan, say so in Connection &gt; Token….</source>
        <translation>
            <numerusform>注意：此操作大约需要 %n 次 API 调用，但按本应用的计数，免费版的 %2 次调用只剩 %1 次。用完之后，扣子会禁止该账号使用 API。如果账号是付费版，请在“连接 &gt; 令牌与密钥…”中注明。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The Coze token expires in about %n day(s) (tokens last at most 30 days). Create a new one on the Coze website before then.</source>
        <translation>
            <numerusform>扣子令牌大约 %n 天后过期（令牌最长有效 30 天）。请在此之前到扣子网站上新建一个令牌。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This app has made %n API call(s) with this connection.</source>
        <translation>
            <numerusform>本应用已通过此连接发出 %n 次 API 调用。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About %n call(s) left on the free plan.</source>
        <translation>
            <numerusform>免费版大约还剩 %n 次调用。</numerusform>
        </translation>
    </message>
    <message>
        <source>The token was saved today (Coze tokens last at most 30 days).</source>
        <translation>令牌是今天保存的（扣子令牌最长有效 30 天）。</translation>
    </message>
    <message numerus="yes">
        <source>The token was saved %n day(s) ago (Coze tokens last at most 30 days).</source>
        <translation>
            <numerusform>令牌是 %n 天前保存的（扣子令牌最长有效 30 天）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CheckReport</name>
    <message>
        <source>The file “%1” cannot be read.</source>
        <translation>无法读取文件“%1”。</translation>
    </message>
    <message>
        <source>Check that the file exists, that you may read it and that it is not damaged; or record again.</source>
        <translation>请确认文件存在、您有权读取且文件未损坏；或者重新录音。</translation>
    </message>
    <message>
        <source>The file “%1” holds no audio.</source>
        <translation>文件“%1”中没有音频。</translation>
    </message>
    <message>
        <source>Record again or choose another file.</source>
        <translation>请重新录音或选择其他文件。</translation>
    </message>
    <message>
        <source>“%1” is not an audio file this app can read.</source>
        <translation>“%1”不是本程序能读取的音频文件。</translation>
    </message>
    <message>
        <source>Choose a wav file (or pcm: 16 kHz, mono, 16-bit).</source>
        <translation>请选择 wav 文件（或 16 kHz、单声道、16 位的 pcm 文件）。</translation>
    </message>
    <message>
        <source>The recording is too long to check (over %1 minutes).</source>
        <translation>录音太长，无法检查（超过 %1 分钟）。</translation>
    </message>
    <message>
        <source>Use a recording of 10 to 60 seconds.</source>
        <translation>请使用 10 到 60 秒的录音。</translation>
    </message>
    <message>
        <source>The pcm file does not fit the given layout (16-bit samples, the given number of channels).</source>
        <translation>pcm 文件与所填格式不符（应为 16 位采样、所填的声道数）。</translation>
    </message>
    <message>
        <source>Check its sample rate and channels, or export it again as wav.</source>
        <translation>请检查它的采样率和声道数，或重新导出为 wav 文件。</translation>
    </message>
    <message>
        <source>The amount of speech could not be measured.</source>
        <translation>无法测量录音中的语音时长。</translation>
    </message>
    <message>
        <source>Listen to the recording to make sure it holds at least 10 s of clear speech.</source>
        <translation>请试听录音，确认其中至少有 10 秒清晰的语音。</translation>
    </message>
    <message>
        <source>The file “%1” could not be checked.</source>
        <translation>无法检查文件“%1”。</translation>
    </message>
    <message>
        <source>Try another file; if this keeps happening, report it with the file.</source>
        <translation>请换一个文件试试；如果反复出现，请附上该文件报告此问题。</translation>
    </message>
    <message>
        <source>Conversion fixes this (16 kHz mono 16-bit wav).</source>
        <translation>转换即可解决（16 kHz 单声道 16 位 wav）。</translation>
    </message>
    <message>
        <source>The file type is accepted.</source>
        <translation>文件类型可以接受。</translation>
    </message>
    <message>
        <source>This is a %1 file; Coze accepts only wav and pcm.</source>
        <translation>这是 %1 文件；扣子只接受 wav 和 pcm。</translation>
    </message>
    <message>
        <source>Convert it to a 16 kHz mono 16-bit wav.</source>
        <translation>请把它转换为 16 kHz 单声道 16 位 wav。</translation>
    </message>
    <message>
        <source>The audio is encoded as %1, not plain PCM.</source>
        <translation>音频编码为 %1，不是普通 PCM。</translation>
    </message>
    <message>
        <source>Sample rate %1 Hz.</source>
        <translation>采样率 %1 Hz。</translation>
    </message>
    <message>
        <source>Sample rate %1 Hz; Coze expects 16 kHz.</source>
        <translation>采样率 %1 Hz；扣子需要 16 kHz。</translation>
    </message>
    <message>
        <source>Mono (one channel).</source>
        <translation>单声道。</translation>
    </message>
    <message>
        <source>%1 channels; Coze expects mono.</source>
        <translation>%1 个声道；扣子需要单声道。</translation>
    </message>
    <message>
        <source>16-bit samples.</source>
        <translation>16 位采样。</translation>
    </message>
    <message>
        <source>Sample format %1; Coze expects 16-bit.</source>
        <translation>采样格式 %1；扣子需要 16 位。</translation>
    </message>
    <message>
        <source>Size %1 MB.</source>
        <translation>大小 %1 MB。</translation>
    </message>
    <message>
        <source>The file is %1 MB; Coze accepts at most 4 MB.</source>
        <translation>文件大小 %1 MB；扣子最多接受 4 MB。</translation>
    </message>
    <message>
        <source>Conversion makes it %1 MB, which fits.</source>
        <translation>转换后为 %1 MB，符合要求。</translation>
    </message>
    <message>
        <source>Use a shorter recording (at most 2 minutes).</source>
        <translation>请使用更短的录音（最长 2 分钟）。</translation>
    </message>
    <message>
        <source>Length %1 s.</source>
        <translation>时长 %1 秒。</translation>
    </message>
    <message>
        <source>The recording is only %1 s long.</source>
        <translation>录音只有 %1 秒。</translation>
    </message>
    <message>
        <source>Record at least 10 seconds of speech.</source>
        <translation>请录制至少 10 秒的语音。</translation>
    </message>
    <message>
        <source>Use a clip with at least 3 seconds of speech.</source>
        <translation>请使用至少有 3 秒语音的音频。</translation>
    </message>
    <message>
        <source>%1 s of speech.</source>
        <translation>语音 %1 秒。</translation>
    </message>
    <message>
        <source>%1 s of speech; 10 s or more gives a more reliable voiceprint.</source>
        <translation>语音 %1 秒；10 秒以上的语音能得到更可靠的声纹。</translation>
    </message>
    <message>
        <source>Record a longer take if you can.</source>
        <translation>如有可能，请录得更长一些。</translation>
    </message>
    <message>
        <source>%1 s of speech; 10 s or more gives a more reliable result.</source>
        <translation>语音 %1 秒；10 秒以上的语音能得到更可靠的识别结果。</translation>
    </message>
    <message>
        <source>Use a longer clip if you can.</source>
        <translation>如有可能，请使用更长的音频。</translation>
    </message>
    <message>
        <source>No speech was found; enrollment needs at least 3 s.</source>
        <translation>没有检测到语音；录入声纹至少需要 3 秒语音。</translation>
    </message>
    <message>
        <source>Only %1 s of speech; enrollment needs at least 3 s.</source>
        <translation>只有 %1 秒语音；录入声纹至少需要 3 秒。</translation>
    </message>
    <message>
        <source>Record again, speaking naturally for 10 to 30 seconds.</source>
        <translation>请重新录音，自然地说 10 到 30 秒。</translation>
    </message>
    <message>
        <source>No speech was found; identification needs at least 3 s.</source>
        <translation>没有检测到语音；识别至少需要 3 秒语音。</translation>
    </message>
    <message>
        <source>Only %1 s of speech; identification needs at least 3 s.</source>
        <translation>只有 %1 秒语音；识别至少需要 3 秒。</translation>
    </message>
    <message>
        <source>Record again, or choose a clip in which the person speaks for at least 3 seconds.</source>
        <translation>请重新录音，或选择此人说话至少 3 秒的音频。</translation>
    </message>
    <message>
        <source>Peak level %1 dBFS.</source>
        <translation>峰值电平 %1 dBFS。</translation>
    </message>
    <message>
        <source>The recording is quiet (peak %1 dBFS).</source>
        <translation>录音音量偏小（峰值 %1 dBFS）。</translation>
    </message>
    <message>
        <source>Move closer to the microphone (within 50 cm) or raise its input level.</source>
        <translation>请靠近麦克风（50 厘米以内），或调高其输入音量。</translation>
    </message>
    <message>
        <source>The recording is far too quiet (peak %1 dBFS).</source>
        <translation>录音音量太小（峰值 %1 dBFS）。</translation>
    </message>
    <message>
        <source>Check the microphone is on and not muted, raise its input level, and speak within 50 cm of it.</source>
        <translation>请确认麦克风已打开且未静音，调高输入音量，并在 50 厘米以内说话。</translation>
    </message>
    <message>
        <source>No clipping.</source>
        <translation>没有削波失真。</translation>
    </message>
    <message>
        <source>Some peaks are clipped (%1 % of samples at full scale).</source>
        <translation>部分峰值被削波（%1 % 的采样达到满幅）。</translation>
    </message>
    <message>
        <source>Lower the input level a little.</source>
        <translation>请稍微调低输入音量。</translation>
    </message>
    <message>
        <source>The recording is distorted: %1 % of samples are at full scale.</source>
        <translation>录音失真：%1 % 的采样达到满幅。</translation>
    </message>
    <message>
        <source>Lower the microphone&apos;s input level or move a little further away, and record again.</source>
        <translation>请调低麦克风输入音量或离远一点，然后重新录音。</translation>
    </message>
    <message>
        <source>The background is quiet.</source>
        <translation>背景安静。</translation>
    </message>
    <message>
        <source>There is noticeable background noise (speech is %1 dB above it).</source>
        <translation>背景噪声明显（语音仅比噪声高 %1 dB）。</translation>
    </message>
    <message>
        <source>A quieter room gives a better voiceprint.</source>
        <translation>在更安静的房间录音，声纹效果更好。</translation>
    </message>
    <message>
        <source>The background is very noisy (speech is only %1 dB above it).</source>
        <translation>背景非常嘈杂（语音只比噪声高 %1 dB）。</translation>
    </message>
    <message>
        <source>Record in a quiet room, away from fans and other voices.</source>
        <translation>请在安静的房间录音，远离风扇和他人说话声。</translation>
    </message>
    <message>
        <source>Little silence before the speech.</source>
        <translation>语音前的静音很短。</translation>
    </message>
    <message>
        <source>Little silence after the speech.</source>
        <translation>语音后的静音很短。</translation>
    </message>
    <message>
        <source>There are %1 s of silence before the speech starts.</source>
        <translation>语音开始前有 %1 秒静音。</translation>
    </message>
    <message>
        <source>There are %1 s of silence after the speech ends.</source>
        <translation>语音结束后有 %1 秒静音。</translation>
    </message>
    <message>
        <source>Conversion trims it, keeping a short margin.</source>
        <translation>转换时会剪掉它，只保留很短的余量。</translation>
    </message>
    <message>
        <source>The audio data is damaged: %1 samples are not numbers (NaN or infinite), so a voiceprint made from it would never match.</source>
        <translation>音频数据已损坏：有 %1 个采样值不是有效数字（NaN 或无穷大），用它注册的声纹将永远无法匹配。</translation>
    </message>
    <message>
        <source>Export the recording again from the program that made it, or record a new take.</source>
        <translation>请用生成该录音的程序重新导出，或重新录制一段。</translation>
    </message>
</context>
<context>
    <name>ClipSource</name>
    <message>
        <source>A wav or pcm file with one person speaking</source>
        <translation>单人说话的 wav 或 pcm 文件</translation>
    </message>
    <message>
        <source>Clip file</source>
        <translation>音频片段文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>录音…</translation>
    </message>
    <message>
        <source>Record the clip with a microphone</source>
        <translation>用麦克风录制片段</translation>
    </message>
    <message>
        <source>%1 Hz</source>
        <translation>%1 Hz</translation>
    </message>
    <message>
        <source>PCM sample rate:</source>
        <translation>PCM 采样率：</translation>
    </message>
    <message>
        <source>Channels:</source>
        <translation>声道数：</translation>
    </message>
    <message>
        <source>Coze accepts pcm only as 16 kHz, mono, 16-bit.</source>
        <translation>扣子仅接受 16 kHz、单声道、16 位的 pcm。</translation>
    </message>
    <message>
        <source>Choose a clip</source>
        <translation>选择音频片段</translation>
    </message>
    <message>
        <source>Audio (*.wav *.pcm)</source>
        <translation>音频 (*.wav *.pcm)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>ok</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>BLOCKED</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>ready to enroll</source>
        <translation>可以录入</translation>
    </message>
    <message>
        <source>usable, with warnings</source>
        <translation>可以使用，但有需要注意的地方</translation>
    </message>
    <message>
        <source>NOT usable as it is</source>
        <translation>当前无法使用</translation>
    </message>
    <message>
        <source>Check audio files for Coze voiceprint enrollment.</source>
        <translation>检查音频文件能否用于录入扣子声纹。</translation>
    </message>
    <message>
        <source>wav or pcm files</source>
        <translation>wav 或 pcm 文件</translation>
    </message>
    <message>
        <source>print reports as JSON</source>
        <translation>以 JSON 输出检查结果</translation>
    </message>
    <message>
        <source>write the 16 kHz mono 16-bit wav version of the (single) FILE</source>
        <translation>把（唯一的）FILE 转换为 16 kHz、单声道、16 位的 wav 并写入此文件</translation>
    </message>
    <message>
        <source>with --convert: keep leading/trailing silence</source>
        <translation>与 --convert 一起使用：保留开头和结尾的静音</translation>
    </message>
    <message>
        <source>sample rate of .pcm input (default 16000)</source>
        <translation>.pcm 输入的采样率（默认 16000）</translation>
    </message>
    <message>
        <source>channels of .pcm input (default 1)</source>
        <translation>.pcm 输入的声道数（默认 1）</translation>
    </message>
    <message>
        <source>--convert takes exactly one FILE</source>
        <translation>--convert 只能用于一个 FILE</translation>
    </message>
    <message>
        <source>--pcm-rate and --pcm-channels must be &gt; 0</source>
        <translation>--pcm-rate 和 --pcm-channels 必须大于 0</translation>
    </message>
    <message>
        <source>Converted (16 kHz mono 16-bit wav): {path}</source>
        <translation>已转换（16 kHz、单声道、16 位 wav）：{path}</translation>
    </message>
    <message>
        <source>Not converted: {why}</source>
        <translation>未转换：{why}</translation>
    </message>
    <message>
        <source>a Coze-compatible server (token from ${variable}); default: the offline workspace</source>
        <translation>与扣子兼容的服务器（令牌取自环境变量 ${variable}）；默认：离线工作区</translation>
    </message>
    <message>
        <source>Export voiceprint groups with their audio to one archive (a zip).</source>
        <translation>把声纹组连同音频导出为一个归档文件（zip）。</translation>
    </message>
    <message>
        <source>a group to export (repeat for more); default: every group</source>
        <translation>要导出的声纹组（可重复指定多个）；默认：全部声纹组</translation>
    </message>
    <message>
        <source>the archive to write</source>
        <translation>要写入的归档文件</translation>
    </message>
    <message>
        <source>Import an archive, a folder of audio files (one sub-folder per group) or a CSV (columns file, name, description, group) into a workspace.</source>
        <translation>把归档文件、音频文件夹（每个子文件夹对应一个声纹组）或 CSV（列：file、name、description、group）导入工作区。</translation>
    </message>
    <message>
        <source>ARCHIVE.zip, a FOLDER or a FILE.csv</source>
        <translation>ARCHIVE.zip、文件夹或 FILE.csv</translation>
    </message>
    <message>
        <source>the archive&apos;s name must end in .zip</source>
        <translation>归档文件名必须以 .zip 结尾</translation>
    </message>
    <message>
        <source>{path} already exists, and nothing was written. Give another name, or move or delete that file first.</source>
        <translation>“{path}”已存在，什么也没有写入。请换一个文件名，或先移走或删除那个文件。</translation>
    </message>
    <message>
        <source>Exported {groups} group(s) with {voiceprints} voiceprint(s) to {path}.</source>
        <translation>已把 {groups} 个声纹组（共 {voiceprints} 个声纹）导出到 {path}。</translation>
    </message>
    <message>
        <source>Resuming the unfinished import of this source.</source>
        <translation>继续此前未完成的导入。</translation>
    </message>
    <message>
        <source>Importing {voiceprints} voiceprint(s) into {groups} group(s); at most {calls} API calls.</source>
        <translation>正在把 {voiceprints} 个声纹导入 {groups} 个声纹组；最多 {calls} 次 API 调用。</translation>
    </message>
    <message>
        <source>Importing {voiceprints} voiceprint(s) into {groups} group(s) of the offline workspace (on this computer: no API calls).</source>
        <translation>正在把 {voiceprints} 个声纹导入离线工作区的 {groups} 个声纹组（在这台电脑上：不会产生 API 调用）。</translation>
    </message>
    <message>
        <source>Created {created}, already there {existed}, skipped {skipped}, failed {failed}.</source>
        <translation>新建 {created} 个，已存在 {existed} 个，跳过 {skipped} 个，失败 {failed} 个。</translation>
    </message>
    <message>
        <source>  skipped {name}: {why}</source>
        <translation>  已跳过 {name}：{why}</translation>
    </message>
    <message>
        <source>  failed {name}: {why}</source>
        <translation>  失败 {name}：{why}</translation>
    </message>
    <message>
        <source>Run the same command again to retry what failed; nothing is duplicated.</source>
        <translation>再次运行同一命令即可重试失败的项目；不会重复创建。</translation>
    </message>
    <message>
        <source>The offline workspace is open in Voiceprint Studio (or in a server started on it): close it, then run the command again.</source>
        <translation>离线工作区正在声纹工作室（或在它上面启动的本地服务器）中打开：请先关闭它，然后再次运行此命令。</translation>
    </message>
    <message>
        <source>The converted file would overwrite the original.</source>
        <translation>转换后的文件会覆盖原文件。</translation>
    </message>
    <message>
        <source>Choose another name for the converted file.</source>
        <translation>请为转换后的文件另选一个名称。</translation>
    </message>
    <message>
        <source>The converted file could not be written.</source>
        <translation>无法写入转换后的文件。</translation>
    </message>
    <message>
        <source>Choose a folder you can write to, with free space.</source>
        <translation>请选择一个有写入权限且有剩余空间的文件夹。</translation>
    </message>
    <message>
        <source>Manage Coze voiceprints and MiniMax voices. &apos;voiceprint-studio check FILE...&apos; checks enrollment recordings; &apos;voiceprint-studio export&apos; and &apos;voiceprint-studio import&apos; move voiceprints to and from archives, folders and CSV files.</source>
        <translation>管理扣子声纹和 MiniMax 音色。“voiceprint-studio check FILE...”检查录入用的录音；“voiceprint-studio export”和“voiceprint-studio import”在归档文件、文件夹和 CSV 文件之间导出和导入声纹。</translation>
    </message>
    <message>
        <source>show the version and exit</source>
        <translation>显示版本号并退出</translation>
    </message>
    <message>
        <source>check that the sound, speech, keyring, translation and TLS parts load, then exit</source>
        <translation>检查声音、语音、密钥环、翻译和 TLS 组件能否加载，然后退出</translation>
    </message>
    <message>
        <source>No display found: start Voiceprint Studio from a desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set). Without one, &apos;voiceprint-studio --help&apos; lists the commands that need no window.</source>
        <translation>未找到显示环境：请在桌面会话中启动声纹工作室（DISPLAY 和 WAYLAND_DISPLAY 均未设置）。没有桌面时，“voiceprint-studio --help”会列出无需窗口的命令。</translation>
    </message>
    <message>
        <source>Qt&apos;s GUI libraries cannot be loaded: {error}</source>
        <translation>无法加载 Qt 的图形界面库：{error}</translation>
    </message>
    <message>
        <source>Qt&apos;s X11 platform plugin ({plugin}) cannot be loaded: {error}</source>
        <translation>无法加载 Qt 的 X11 平台插件（{plugin}）：{error}</translation>
    </message>
    <message>
        <source>Install the missing library, then start Voiceprint Studio again.</source>
        <translation>请安装缺少的库，然后重新启动声纹工作室。</translation>
    </message>
    <message>
        <source>Install {packages} (Debian/Ubuntu: sudo apt install {packages}), then start Voiceprint Studio again.</source>
        <translation>请安装 {packages}（Debian/Ubuntu：sudo apt install {packages}），然后重新启动声纹工作室。</translation>
    </message>
</context>
<context>
    <name>ConfirmDiscard</name>
    <message>
        <source>What you typed here is not kept.</source>
        <translation>这里填写的内容不会保留。</translation>
    </message>
    <message>
        <source>The recording stays on this computer: “Earlier takes…” lists it the next time.</source>
        <translation>录音会保留在这台电脑上：下次可以在“以前的录音…”中找到。</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
</context>
<context>
    <name>Connection</name>
    <message>
        <source>Coze</source>
        <translation>扣子</translation>
    </message>
    <message>
        <source>MiniMax</source>
        <translation>MiniMax</translation>
    </message>
    <message>
        <source>Offline workspace (this computer)</source>
        <translation>离线工作区（本机）</translation>
    </message>
    <message>
        <source>Coze China (api.coze.cn)</source>
        <translation>扣子（中国，api.coze.cn）</translation>
    </message>
    <message>
        <source>Coze international (api.coze.com)</source>
        <translation>扣子国际版（api.coze.com）</translation>
    </message>
    <message>
        <source>MiniMax China (api.minimaxi.com)</source>
        <translation>MiniMax（中国，api.minimaxi.com）</translation>
    </message>
    <message>
        <source>MiniMax international (api.minimax.io)</source>
        <translation>MiniMax（国际版，api.minimax.io）</translation>
    </message>
    <message>
        <source>Custom Coze server ({url})</source>
        <translation>自定义扣子服务器（{url}）</translation>
    </message>
    <message>
        <source>Custom MiniMax server ({url})</source>
        <translation>自定义 MiniMax 服务器（{url}）</translation>
    </message>
    <message>
        <source>No system keyring is available, so the token is kept only until you close Voiceprint Studio. You will need to enter it again next time.</source>
        <translation>系统中没有可用的凭据存储，因此令牌和密钥只会保留到您关闭声纹工作室为止，下次需要重新输入。</translation>
    </message>
</context>
<context>
    <name>CopyDialog</name>
    <message>
        <source>Copy or move voiceprints</source>
        <translation>复制或移动声纹</translation>
    </message>
    <message>
        <source>&amp;Copy (the originals stay)</source>
        <translation>复制（保留原声纹）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Move (each original is deleted once its copy is confirmed; it stays in Recently deleted for 30 days)</source>
        <translation>移动（每个副本确认后删除原声纹，原声纹在“最近删除”中保留 30 天）(&amp;M)</translation>
    </message>
    <message>
        <source>For example: Bedroom</source>
        <translation>例如：卧室</translation>
    </message>
    <message>
        <source>How:</source>
        <translation>方式：</translation>
    </message>
    <message>
        <source>To &amp;workspace:</source>
        <translation>目标工作区(&amp;W)：</translation>
    </message>
    <message>
        <source>Into &amp;group:</source>
        <translation>目标声纹组(&amp;G)：</translation>
    </message>
    <message>
        <source>New group&apos;s &amp;name:</source>
        <translation>新声纹组名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>A group of the same name (found or created)</source>
        <translation>同名声纹组（已有则使用，没有则新建）</translation>
    </message>
    <message>
        <source>Loading the groups of that workspace…</source>
        <translation>正在加载该工作区的声纹组…</translation>
    </message>
    <message>
        <source>A new group…</source>
        <translation>新建声纹组…</translation>
    </message>
    <message>
        <source>Only %1 of the %2 voiceprints fit into “%3” (it holds %4 of %5): the rest will be skipped.</source>
        <translation>%2 个声纹中只有 %1 个能放进“%3”（已有 %4/%5）：其余的将被跳过。</translation>
    </message>
    <message>
        <source>“%1” is full (%2 of %2): choose another group.</source>
        <translation>“%1”已满（%2/%2）：请选择其他声纹组。</translation>
    </message>
    <message>
        <source>The groups of that workspace could not be listed: %1</source>
        <translation>无法列出该工作区的声纹组：%1</translation>
    </message>
    <message>
        <source>The offline workspace is on this computer: no API calls are made.</source>
        <translation>离线工作区在这台电脑上：不会产生 API 调用。</translation>
    </message>
    <message>
        <source>Both workspaces are on this computer: no API calls are made.</source>
        <translation>两个工作区都在这台电脑上：不会产生 API 调用。</translation>
    </message>
    <message>
        <source>This job makes no API calls on the Coze account: it only downloads the recordings, which is not counted as a call.</source>
        <translation>此任务不会在扣子账号上调用 API：它只下载录音，下载不计入调用次数。</translation>
    </message>
    <message>
        <source>This job makes at most %1 API calls on the Coze account (a free plan allows %2 calls in all).</source>
        <translation>此任务最多在扣子账号上产生 %1 次 API 调用（免费版总共只有 %2 次）。</translation>
    </message>
    <message>
        <source>Copying…</source>
        <translation>正在复制…</translation>
    </message>
    <message>
        <source>Moving…</source>
        <translation>正在移动…</translation>
    </message>
    <message>
        <source>Moved: %1</source>
        <translation>移动完成：%1</translation>
    </message>
    <message>
        <source>Copied: %1</source>
        <translation>复制完成：%1</translation>
    </message>
    <message>
        <source>Nothing was copied: %1</source>
        <translation>没有复制任何内容：%1</translation>
    </message>
    <message>
        <source>The job stopped: %1</source>
        <translation>任务已停止：%1</translation>
    </message>
    <message>
        <source>What was done is kept; resume it from File &gt; Transfers.</source>
        <translation>已完成的部分会保留；可在“文件 &gt; 传输任务”中继续。</translation>
    </message>
</context>
<context>
    <name>CustomServerDialog</name>
    <message>
        <source>Custom server</source>
        <translation>自定义服务器</translation>
    </message>
    <message>
        <source>Use this only if your administrator gave you a server address. The address must start with https:// (plain http:// is allowed only for this computer).</source>
        <translation>仅在管理员为您提供了服务器地址时使用。地址必须以 https:// 开头（仅本机地址允许使用 http://）。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>&amp;Service:</source>
        <translation>服务(&amp;S)：</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>服务器地址(&amp;A)：</translation>
    </message>
</context>
<context>
    <name>DeleteResultDialog</name>
    <message>
        <source>Delete groups</source>
        <translation>删除声纹组</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) deleted.</source>
        <translation>
            <numerusform>已删除 %n 个声纹组。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) could not be deleted; see why below.</source>
        <translation>
            <numerusform>%n 个声纹组未能删除，原因见下方。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1”: deleted</source>
        <translation>“%1”：已删除</translation>
    </message>
    <message>
        <source>“%1”: not deleted. %2</source>
        <translation>“%1”：未删除。%2</translation>
    </message>
</context>
<context>
    <name>DuplicateCheck</name>
    <message>
        <source>The duplicate check was cancelled; nothing was enrolled.</source>
        <translation>重复检查已取消，未录入任何声纹。</translation>
    </message>
    <message>
        <source>This voice may already be enrolled in the group “%1”: it sounds like both “%2” and “%3”, too close to tell apart.</source>
        <translation>这个声音可能已录入声纹组“%1”：它既像“%2”又像“%3”，两者分数太接近，无法区分。</translation>
    </message>
    <message>
        <source>This voice is most likely “%2”, already enrolled in the group “%1”.</source>
        <translation>这个声音最可能是“%2”，已录入声纹组“%1”。</translation>
    </message>
    <message>
        <source>Possible duplicate voiceprint</source>
        <translation>可能是重复的声纹</translation>
    </message>
    <message>
        <source>Similar voices can score above the threshold too: replace the audio anyway if this really is the person of this voiceprint. The recording stays on disk either way: %1</source>
        <translation>声音相似的不同的人也可能超过阈值：如果这确实是这个声纹的本人，请仍然替换音频。无论如何，录音都会保留在磁盘上：%1</translation>
    </message>
    <message>
        <source>Similar voices can score above the threshold too: enroll it anyway if this is a different person. The recording stays on disk either way: %1</source>
        <translation>声音相似的不同的人也可能超过阈值：如果这是另一个人，请仍然录入。无论如何，录音都会保留在磁盘上：%1</translation>
    </message>
    <message>
        <source>Duplicate check not done</source>
        <translation>未能完成重复检查</translation>
    </message>
    <message>
        <source>The duplicate check could not run: %1</source>
        <translation>重复检查无法进行：%1</translation>
    </message>
    <message>
        <source>You can enroll the take without the check, or not enroll it now and try again later.</source>
        <translation>可以不经检查直接录入这段录音，也可以暂不录入，稍后再试。</translation>
    </message>
    <message>
        <source>Enroll anyway</source>
        <translation>仍然录入</translation>
    </message>
    <message>
        <source>Replace anyway</source>
        <translation>仍然替换</translation>
    </message>
    <message>
        <source>Don&apos;t enroll</source>
        <translation>不录入</translation>
    </message>
    <message>
        <source>Don&apos;t replace</source>
        <translation>不替换</translation>
    </message>
    <message>
        <source>Not replaced: the voice matches “%1” (score %2). The recording is kept: %3</source>
        <translation>未替换：这个声音与“%1”匹配（分数 %2）。录音已保留：%3</translation>
    </message>
    <message>
        <source>Not enrolled: the voice matches “%1” (score %2). The take is kept: %3</source>
        <translation>未录入：这个声音与“%1”匹配（分数 %2）。录音已保留：%3</translation>
    </message>
    <message>
        <source>Not replaced. The recording is kept: %1</source>
        <translation>未替换。录音已保留：%1</translation>
    </message>
    <message>
        <source>Not enrolled. The take is kept: %1</source>
        <translation>未录入。录音已保留：%1</translation>
    </message>
</context>
<context>
    <name>DuplicateCheckBox</name>
    <message>
        <source>Check first that this voice is not already enrolled in the group</source>
        <translation>录入前先检查这个声音是否已在声纹组中</translation>
    </message>
    <message>
        <source>Before enrolling, the take is identified against the group&apos;s voiceprints with the built-in model; you are warned if it matches one.</source>
        <translation>录入前，先用内置模型将这段录音与声纹组中的声纹进行识别；如与某个声纹匹配，会提醒您。</translation>
    </message>
    <message>
        <source>Check first that this voice is not already enrolled in the group (one identify call, billed)</source>
        <translation>录入前先检查这个声音是否已在声纹组中（一次识别调用，会计费）</translation>
    </message>
    <message>
        <source>Before enrolling, the take is identified against the group&apos;s voiceprints on Coze (billed as one identification); you are warned if it matches one.</source>
        <translation>录入前，先在扣子上将这段录音与声纹组中的声纹进行识别（按一次识别计费）；如与某个声纹匹配，会提醒您。</translation>
    </message>
</context>
<context>
    <name>EnrollWizard</name>
    <message>
        <source>Enrollment wizard</source>
        <translation>录入向导</translation>
    </message>
    <message>
        <source>This wizard adds one person&apos;s voice to the group “%1”. First enter the speaker&apos;s name.</source>
        <translation>此向导会把一个人的声音添加到声纹组“%1”。请先输入说话人的姓名。</translation>
    </message>
    <message>
        <source>The speaker&apos;s name, e.g. Wang Fang</source>
        <translation>说话人的姓名，例如：王芳</translation>
    </message>
    <message>
        <source>Choose &amp;file…</source>
        <translation>选择文件(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>重试(&amp;R)</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the recording first.</source>
        <translation>请先停止录音。</translation>
    </message>
    <message>
        <source>Record the audio, use a recent take, or choose a file.</source>
        <translation>请录音、使用最近的录音，或选择一个文件。</translation>
    </message>
    <message>
        <source>Converting to 16 kHz mono…</source>
        <translation>正在转换为 16 kHz 单声道…</translation>
    </message>
    <message>
        <source>Checking the recording…</source>
        <translation>正在检查录音…</translation>
    </message>
    <message>
        <source>Record the speaker reading the text below (10 to 30 seconds), or choose an existing wav file (or raw pcm: 16 kHz, mono, 16-bit). Then click Next.</source>
        <translation>请说话人朗读下面的文字（10 到 30 秒）进行录音，或选择已有的 wav 文件（或 16 kHz、单声道、16 位的原始 pcm），然后点击“下一步”。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Step 1 of 5: Name</source>
        <translation>第 1 步，共 5 步：名称</translation>
    </message>
    <message>
        <source>Step 2 of 5: Record or choose the audio</source>
        <translation>第 2 步，共 5 步：录音或选择音频</translation>
    </message>
    <message>
        <source>Step 3 of 5: Check the audio</source>
        <translation>第 3 步，共 5 步：检查音频</translation>
    </message>
    <message>
        <source>Step 4 of 5: Add</source>
        <translation>第 4 步，共 5 步：添加</translation>
    </message>
    <message>
        <source>Step 4 of 5: Upload</source>
        <translation>第 4 步，共 5 步：上传</translation>
    </message>
    <message>
        <source>Step 5 of 5: Done</source>
        <translation>第 5 步，共 5 步：完成</translation>
    </message>
    <message>
        <source>&amp;Upload &gt;</source>
        <translation>上传(&amp;U) &gt;</translation>
    </message>
    <message>
        <source>&amp;Add &gt;</source>
        <translation>添加(&amp;A) &gt;</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
    <message>
        <source>Audio to use: the new take being recorded</source>
        <translation>将使用的音频：正在录制的新录音</translation>
    </message>
    <message>
        <source>Audio to use: %1</source>
        <translation>将使用的音频：%1</translation>
    </message>
    <message>
        <source>Cancel check</source>
        <translation>取消检查</translation>
    </message>
    <message>
        <source>Checking that this voice is not already enrolled in the group “%1”…</source>
        <translation>正在检查这个声音是否已录入声纹组“%1”…</translation>
    </message>
    <message>
        <source>Adding the voice of “%1” to the group “%2”…</source>
        <translation>正在把“%1”的声音添加到声纹组“%2”…</translation>
    </message>
    <message>
        <source>Uploading the voice of “%1” to the group “%2”…</source>
        <translation>正在把“%1”的声音上传到声纹组“%2”…</translation>
    </message>
    <message>
        <source>Checking that the groups still have room…</source>
        <translation>正在检查这些声纹组是否还有空位…</translation>
    </message>
    <message>
        <source>Adding the voice of “%1” to the group “%2” (%3 of %4)…</source>
        <translation>正在把“%1”的声音添加到声纹组“%2”（第 %3 个，共 %4 个）…</translation>
    </message>
    <message>
        <source>Uploading the voice of “%1” to the group “%2” (%3 of %4)…</source>
        <translation>正在把“%1”的声音上传到声纹组“%2”（第 %3 个，共 %4 个）…</translation>
    </message>
    <message>
        <source>The groups could not be checked: %1 Nothing was sent.</source>
        <translation>无法检查这些声纹组：%1 没有发送任何内容。</translation>
    </message>
    <message>
        <source>Press Retry to send it to the groups that did not get it.</source>
        <translation>按“重试”，把它发送到还没有收到的声纹组。</translation>
    </message>
    <message>
        <source>“%1”: %2 Click Finish to close the wizard.</source>
        <translation>“%1”：%2 点击“完成”关闭向导。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>The voiceprint “%1” was added to the group “%2”. Click Finish to close the wizard.</source>
        <translation>声纹“%1”已添加到声纹组“%2”。点击“完成”关闭向导。</translation>
    </message>
    <message>
        <source>The recording is kept in %1.</source>
        <translation>录音已保留在 %1。</translation>
    </message>
    <message>
        <source>Press Retry to send it again, or go Back to change it.</source>
        <translation>点击“重试”重新发送，或返回上一步修改。</translation>
    </message>
    <message>
        <source>The voiceprint was not added.</source>
        <translation>声纹未能添加。</translation>
    </message>
    <message>
        <source>%1 (see the check): go Back and record again, or choose another file.</source>
        <translation>%1（见检查结果）：请返回重新录音，或选择其他文件。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>The voiceprint was not added, as you chose.</source>
        <translation>按您的选择，没有添加声纹。</translation>
    </message>
    <message>
        <source>Go Back to use another take, or press Retry to check this one again.</source>
        <translation>返回上一步换一段录音，或点击“重试”重新检查这段录音。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>the file or its folder does not exist</source>
        <translation>文件或其所在的文件夹不存在</translation>
    </message>
    <message>
        <source>permission was denied</source>
        <translation>没有权限</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>磁盘是只读的</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>它是一个文件夹</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接口</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP 状态码</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>错误码</translation>
    </message>
    <message>
        <source>Server message</source>
        <translation>服务器消息</translation>
    </message>
    <message>
        <source>Request ID</source>
        <translation>请求 ID</translation>
    </message>
    <message>
        <source>No token is saved for this connection.</source>
        <translation>此连接尚未保存令牌或 API 密钥。</translation>
    </message>
    <message>
        <source>Choose Connection &gt; Token... and paste your access token.</source>
        <translation>请选择“连接 &gt; 令牌与密钥…”，然后粘贴令牌或 API 密钥。</translation>
    </message>
    <message>
        <source>The service may still be adding “%1” from the upload that got no answer: nothing was sent again.</source>
        <translation>服务器可能仍在添加上一次没有答复的上传“%1”：这次没有再次发送。</translation>
    </message>
    <message>
        <source>Try again in %1 seconds: the app looks for it first, so it is not added twice.</source>
        <translation>请在 %1 秒后重试：本应用会先查找它，不会重复添加。</translation>
    </message>
    <message>
        <source>This workspace is open in another Voiceprint Studio window.</source>
        <translation>此工作区已在另一个 Voiceprint Studio 窗口中打开。</translation>
    </message>
    <message>
        <source>Close the other window (or the offline server started on this folder), then choose View &gt; Refresh.</source>
        <translation>请关闭另一个窗口（或在此文件夹上启动的离线服务器），然后选择“视图 &gt; 刷新”。</translation>
    </message>
    <message>
        <source>The offline workspace&apos;s database is missing or damaged. No recording was deleted.</source>
        <translation>离线工作区的数据库文件丢失或已损坏。没有删除任何录音。</translation>
    </message>
    <message>
        <source>Restart Voiceprint Studio to rebuild the list from the recordings.</source>
        <translation>请重新启动 Voiceprint Studio，以便根据录音重建列表。</translation>
    </message>
    <message>
        <source>“{file}” could not be read or written: {reason}.</source>
        <translation>无法读取或写入“{file}”：{reason}。</translation>
    </message>
    <message>
        <source>The file could not be read or written: {reason}.</source>
        <translation>无法读取或写入该文件：{reason}。</translation>
    </message>
    <message>
        <source>Check that the file exists and that you may open it, then try again.</source>
        <translation>请确认文件存在且您有权限打开它，然后重试。</translation>
    </message>
    <message>
        <source>Something went wrong: {what}</source>
        <translation>出现错误：{what}</translation>
    </message>
    <message>
        <source>Try again. If it keeps happening, open the log folder from the Help menu.</source>
        <translation>请重试。如果问题反复出现，请通过“帮助”菜单打开日志文件夹。</translation>
    </message>
    <message>
        <source>Voiceprint Studio</source>
        <translation>声纹工作室</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详细信息</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详细信息</translation>
    </message>
    <message>
        <source>Enter token…</source>
        <translation>输入令牌或密钥…</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to an archive</source>
        <translation>导出为归档文件</translation>
    </message>
    <message>
        <source>the whole workspace (every group)</source>
        <translation>整个工作区（所有声纹组）</translation>
    </message>
    <message>
        <source>Exporting %1 to %2</source>
        <translation>正在将%1导出到 %2</translation>
    </message>
    <message>
        <source>Export of %1 to %2</source>
        <translation>将%1导出到 %2</translation>
    </message>
    <message>
        <source>Downloading the audio…</source>
        <translation>正在下载音频…</translation>
    </message>
    <message>
        <source>Done: %1 exported.</source>
        <translation>完成：已导出 %1。</translation>
    </message>
    <message>
        <source>Cancelled: no archive was written.</source>
        <translation>已取消：未写入归档文件。</translation>
    </message>
    <message>
        <source>The export failed: %1 No archive was written.</source>
        <translation>导出失败：%1 未写入归档文件。</translation>
    </message>
</context>
<context>
    <name>GroupChoice</name>
    <message>
        <source>%1  ·  %2 / %3</source>
        <translation>%1  ·  %2 / %3</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>New voiceprint group</source>
        <translation>新建声纹组</translation>
    </message>
    <message>
        <source>Edit group</source>
        <translation>编辑声纹组</translation>
    </message>
    <message>
        <source>For example: Front desk staff</source>
        <translation>例如：前台员工</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Close without creating the group?</source>
        <translation>不创建声纹组就关闭吗？</translation>
    </message>
    <message>
        <source>Close without saving the changes?</source>
        <translation>不保存更改就关闭吗？</translation>
    </message>
    <message>
        <source>Close without creating</source>
        <translation>不创建，关闭</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>不保存，关闭</translation>
    </message>
</context>
<context>
    <name>GroupPicker</name>
    <message>
        <source>Also add to &amp;other groups</source>
        <translation>同时添加到其他声纹组(&amp;O)</translation>
    </message>
    <message>
        <source>Enroll the same take into several groups: one upload per group.</source>
        <translation>把同一段录音注册到多个声纹组：每个声纹组上传一次。</translation>
    </message>
    <message>
        <source>Loading the groups…</source>
        <translation>正在加载声纹组…</translation>
    </message>
    <message>
        <source>Tick at least one group.</source>
        <translation>请至少勾选一个声纹组。</translation>
    </message>
    <message>
        <source>%1 (this group)</source>
        <translation>%1（当前声纹组）</translation>
    </message>
    <message>
        <source>%1 — full</source>
        <translation>%1——已满</translation>
    </message>
    <message>
        <source>%1 Delete a voiceprint there first to add another.</source>
        <translation>%1 请先在该组删除一个声纹，才能再添加。</translation>
    </message>
    <message>
        <source>This workspace has no other group yet. To add to several groups, close this, create them first (New group), then add again.</source>
        <translation>这个工作区还没有其他声纹组。要添加到多个声纹组，请先关闭此窗口，新建声纹组后再添加。</translation>
    </message>
    <message>
        <source>The groups could not be listed: %1 Untick and tick again to retry.</source>
        <translation>无法列出声纹组：%1 取消勾选后再勾选即可重试。</translation>
    </message>
</context>
<context>
    <name>GroupsPanel</name>
    <message>
        <source>Local user</source>
        <translation>本地用户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Voiceprints</source>
        <translation>声纹</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>创建者</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>&amp;New group…</source>
        <translation>新建声纹组(&amp;N)…</translation>
    </message>
    <message>
        <source>Create a voiceprint group (Ctrl+N)</source>
        <translation>新建声纹组 (Ctrl+N)</translation>
    </message>
    <message>
        <source>&amp;Edit group…</source>
        <translation>编辑声纹组(&amp;E)…</translation>
    </message>
    <message>
        <source>Change the name or description of the selected group</source>
        <translation>修改所选声纹组的名称或描述</translation>
    </message>
    <message>
        <source>&amp;Delete group</source>
        <translation>删除声纹组(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected groups and their voiceprints</source>
        <translation>删除所选声纹组及其中的声纹</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Load the groups again from the server (F5)</source>
        <translation>从服务器重新加载声纹组 (F5)</translation>
    </message>
    <message>
        <source>Voiceprint groups</source>
        <translation>声纹组</translation>
    </message>
    <message>
        <source>Search: name starts with…</source>
        <translation>搜索：名称开头为…</translation>
    </message>
    <message>
        <source>Shows the groups whose name starts with what you type.</source>
        <translation>显示名称以所输入内容开头的声纹组。</translation>
    </message>
    <message>
        <source>Created by me</source>
        <translation>我创建的</translation>
    </message>
    <message>
        <source>Show only the groups you created</source>
        <translation>仅显示我创建的声纹组</translation>
    </message>
    <message>
        <source>Loading groups…</source>
        <translation>正在加载声纹组…</translation>
    </message>
    <message>
        <source>The groups could not be loaded. Click Refresh to try again.</source>
        <translation>无法加载声纹组。请点击“刷新”重试。</translation>
    </message>
    <message>
        <source>No group name starts with “%1”. Check the spelling or clear the search.</source>
        <translation>没有名称以“%1”开头的声纹组。请检查拼写，或清空搜索内容。</translation>
    </message>
    <message>
        <source>You have not created any voiceprint groups yet. Click New group to create one, or clear “Created by me” to see all groups.</source>
        <translation>您还没有创建任何声纹组。点击“新建声纹组”来创建，或取消勾选“我创建的”以查看所有声纹组。</translation>
    </message>
    <message>
        <source>No voiceprint groups yet. Click New group to create one.</source>
        <translation>还没有声纹组。点击“新建声纹组”来创建。</translation>
    </message>
    <message>
        <source>A group named “%1” is already in this workspace: two groups of one name look the same in every list. Add something that tells them apart.</source>
        <translation>该工作区中已有名为“%1”的声纹组：同名的两个声纹组在所有列表中看起来一样。请加上能区分它们的内容。</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Delete groups</source>
        <translation>删除声纹组</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>删除声纹组</translation>
    </message>
    <message>
        <source>A copy of the recordings is kept on this computer for 30 days: File &gt; Recently deleted restores them (as new voiceprints, with new ids).</source>
        <translation>录音的副本会在这台电脑上保留 30 天：可在“文件 &gt; 最近删除”中恢复（恢复后为新声纹，ID 会变化）。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the group “%1”? It has no voiceprints.</source>
        <translation>要删除声纹组“%1”吗？该组中没有声纹。</translation>
    </message>
    <message numerus="yes">
        <source>Delete the group “%1” and its %n voiceprint(s)?</source>
        <translation>
            <numerusform>要删除声纹组“%1”及其中的 %n 个声纹吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete these %1 groups and their %n voiceprint(s)?</source>
        <translation>
            <numerusform>要删除这 %1 个声纹组及其中的 %n 个声纹吗？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n voiceprint(s))</source>
        <translation>
            <numerusform>%1（%n 个声纹）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more</source>
        <translation>
            <numerusform>…另有 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleting… %1 of %2</source>
        <translation>正在删除… %1/%2</translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n group(s)…</source>
        <translation>
            <numerusform>正在删除 %n 个声纹组…</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) deleted.</source>
        <translation>
            <numerusform>已删除 %n 个声纹组。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdentifyDialog</name>
    <message>
        <source>How alike the clip and the voiceprint sound, from 0 to 100 (higher is more alike). Above the match threshold counts as a match.</source>
        <translation>音频片段与声纹的相似程度，0 到 100（越高越相似）。超过匹配阈值即视为匹配。</translation>
    </message>
    <message>
        <source>Voiceprint</source>
        <translation>声纹</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Identify speaker</source>
        <translation>声纹识别</translation>
    </message>
    <message>
        <source>How many of the closest voiceprints to list.</source>
        <translation>列出最相近的声纹的数量。</translation>
    </message>
    <message>
        <source>A voiceprint counts as a match only when its score is above this value. The Coze console uses 40.</source>
        <translation>只有分数高于此值的声纹才算匹配。扣子控制台使用的值为 40。</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>声纹组(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Clip:</source>
        <translation>音频片段(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Results to list:</source>
        <translation>结果数量(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Match threshold:</source>
        <translation>匹配阈值(&amp;M)：</translation>
    </message>
    <message>
        <source>The offline workspace cannot identify speakers yet: connect to Coze (Connection &gt; Token…) to try it.</source>
        <translation>离线工作区暂时无法识别声纹：请连接扣子（“连接 &gt; 令牌与密钥…”）后再试。</translation>
    </message>
    <message>
        <source>The offline workspace identifies speakers with a built-in model on this computer: nothing is sent anywhere and nothing is billed. Its scores can be compared with each other, not with Coze&apos;s.</source>
        <translation>离线工作区用本机的内置模型识别说话人：不会发送任何数据，也不计费。它的分数只能相互比较，不能与扣子的分数比较。</translation>
    </message>
    <message>
        <source>Loading groups…</source>
        <translation>正在加载声纹组…</translation>
    </message>
    <message>
        <source>Identifying…</source>
        <translation>正在识别…</translation>
    </message>
    <message>
        <source>Preparing the clip…</source>
        <translation>正在准备音频片段…</translation>
    </message>
    <message>
        <source>Uploaded. Waiting for the scores…</source>
        <translation>已上传，正在等待评分结果…</translation>
    </message>
    <message>
        <source>This clip cannot be identified: see the check above, then record or choose another clip.</source>
        <translation>这段音频不能用于识别：请查看上方的检查结果，然后重新录音或选择其他音频。</translation>
    </message>
    <message>
        <source>Recording the clip… Once it is saved and checked, click Identify.</source>
        <translation>正在录制音频片段…保存并检查完成后，请点击“识别”。</translation>
    </message>
    <message>
        <source>Checking the clip…</source>
        <translation>正在检查音频片段…</translation>
    </message>
    <message>
        <source>Choose a group that has voiceprints, then click Identify.</source>
        <translation>请选择一个有声纹的声纹组，然后点击“识别”。</translation>
    </message>
    <message>
        <source>Choose or record a clip, then click Identify.</source>
        <translation>请选择或录制一段音频片段，然后点击“识别”。</translation>
    </message>
    <message>
        <source>Ready: click Identify to find out who is speaking.</source>
        <translation>已就绪：点击“识别”，看看是谁在说话。</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Coze bills every identification, so it runs only when you click Identify.</source>
        <translation>扣子对每次识别都会计费，因此只有在点击“识别”时才会执行。</translation>
    </message>
    <message>
        <source>Most likely</source>
        <translation>最可能</translation>
    </message>
    <message>
        <source>Too close to tell</source>
        <translation>太接近，无法区分</translation>
    </message>
    <message>
        <source>Above the threshold, but behind the best</source>
        <translation>超过阈值，但低于最高分</translation>
    </message>
    <message>
        <source>Above the threshold</source>
        <translation>超过阈值</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>不匹配</translation>
    </message>
    <message>
        <source>&amp;Identify</source>
        <translation>识别(&amp;I)</translation>
    </message>
    <message>
        <source>Cancel upload</source>
        <translation>取消上传</translation>
    </message>
    <message>
        <source>The groups could not be loaded.</source>
        <translation>无法加载声纹组。</translation>
    </message>
    <message>
        <source>There are no voiceprint groups yet. Create a group and enroll voiceprints first.</source>
        <translation>还没有声纹组。请先创建声纹组并录入声纹。</translation>
    </message>
    <message>
        <source>This group has no voiceprints. Identification needs at least one voiceprint: enroll one first.</source>
        <translation>此声纹组中没有声纹。声纹识别至少需要一个声纹，请先录入一个。</translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s) in this group.</source>
        <translation>
            <numerusform>此声纹组中有 %n 个声纹。</numerusform>
        </translation>
    </message>
    <message>
        <source>Uploading: %1 of %2</source>
        <translation>正在上传：%1/%2</translation>
    </message>
    <message>
        <source>Identification cancelled.</source>
        <translation>识别已取消。</translation>
    </message>
    <message>
        <source>Choose a group and a clip, then click Identify.</source>
        <translation>请选择声纹组和音频片段，然后点击“识别”。</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import voiceprints</source>
        <translation>导入声纹</translation>
    </message>
    <message>
        <source>Import from %1</source>
        <translation>从 %1 导入</translation>
    </message>
    <message>
        <source>The groups named in the source (found or created)</source>
        <translation>来源中指定的声纹组（已有则使用，没有则新建）</translation>
    </message>
    <message>
        <source>Into &amp;group:</source>
        <translation>目标声纹组(&amp;G)：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>将执行的操作</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Reading and checking the source…</source>
        <translation>正在读取并检查来源…</translation>
    </message>
    <message>
        <source>Loading the voiceprints of that group…</source>
        <translation>正在加载该声纹组的声纹…</translation>
    </message>
    <message>
        <source>The voiceprints of that group could not be listed: %1</source>
        <translation>无法列出该声纹组的声纹：%1</translation>
    </message>
    <message>
        <source>a new group</source>
        <translation>新建声纹组</translation>
    </message>
    <message>
        <source>an existing group</source>
        <translation>已有声纹组</translation>
    </message>
    <message>
        <source>will be skipped: %1</source>
        <translation>将被跳过：%1</translation>
    </message>
    <message>
        <source>one of this name is there: kept if its audio is the same, else added</source>
        <translation>已有同名声纹：音频相同则保留，否则新增</translation>
    </message>
    <message numerus="yes">
        <source>no room: the group holds %n voiceprint(s) at most</source>
        <translation>
            <numerusform>没有空位：一个声纹组最多容纳 %n 个声纹</numerusform>
        </translation>
    </message>
    <message>
        <source>will be created if there is room (room for %1 of %2)</source>
        <translation>有空位时创建（%2 个中只能放下 %1 个）</translation>
    </message>
    <message>
        <source>will be created</source>
        <translation>将被创建</translation>
    </message>
    <message>
        <source>%1 to create, %2 of the same name already there.</source>
        <translation>将创建 %1 个，已有同名 %2 个。</translation>
    </message>
    <message numerus="yes">
        <source>%n will not fit and will be skipped.</source>
        <translation>
            <numerusform>有 %n 个放不下，将被跳过。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n will be skipped; each one&apos;s row says why.</source>
        <translation>
            <numerusform>有 %n 个将被跳过，原因见各自所在的行。</numerusform>
        </translation>
    </message>
    <message>
        <source>This import makes at most %1 API calls on the Coze account (a free plan allows %2 calls in all).</source>
        <translation>此次导入最多在扣子账号上产生 %1 次 API 调用（免费版总共只有 %2 次）。</translation>
    </message>
    <message>
        <source>%1 Nothing was imported.</source>
        <translation>%1 未导入任何内容。</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>already there (the same audio): kept</source>
        <translation>已存在（音频相同）：保留</translation>
    </message>
    <message>
        <source>skipped: %1</source>
        <translation>已跳过：%1</translation>
    </message>
    <message>
        <source>not done: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <source>%1 created, %2 already there</source>
        <translation>新建 %1 个，已存在 %2 个</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Imported: %1</source>
        <translation>导入完成：%1</translation>
    </message>
    <message>
        <source>The import stopped: %1</source>
        <translation>导入已停止：%1</translation>
    </message>
    <message>
        <source>What was done is kept; resume it from File &gt; Transfers.</source>
        <translation>已完成的部分会保留；可在“文件 &gt; 传输任务”中继续。</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>Input level</source>
        <translation>输入电平</translation>
    </message>
    <message>
        <source>Clipping! Lower the input level.</source>
        <translation>削波失真！请调低输入音量。</translation>
    </message>
    <message>
        <source>Peak %1 dBFS</source>
        <translation>峰值 %1 dBFS</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Voiceprint Studio</source>
        <translation>声纹工作室</translation>
    </message>
    <message>
        <source>Voiceprints (Coze)</source>
        <translation>声纹（扣子）</translation>
    </message>
    <message>
        <source>Voices (MiniMax)</source>
        <translation>音色（MiniMax）</translation>
    </message>
    <message>
        <source>Tokens are kept for this session only</source>
        <translation>令牌和密钥仅在本次会话中保留</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Find group</source>
        <translation>查找声纹组(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Identify speaker…</source>
        <translation>声纹识别(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Enrollment wizard…</source>
        <translation>录入向导(&amp;E)…</translation>
    </message>
    <message>
        <source>Select a group first.</source>
        <translation>请先选择一个声纹组。</translation>
    </message>
    <message>
        <source>&amp;Token…</source>
        <translation>令牌与密钥(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Custom server…</source>
        <translation>自定义服务器(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About Voiceprint Studio</source>
        <translation>关于声纹工作室(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Coze</source>
        <translation>扣子</translation>
    </message>
    <message>
        <source>MiniMax</source>
        <translation>MiniMax</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>声纹组</translation>
    </message>
    <message>
        <source>Voiceprints (the same keys, in the voiceprint list)</source>
        <translation>声纹（在声纹列表中按同样的快捷键）</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>No token is saved for {names}; using the offline workspace. Choose Connection &gt; Token... to connect.</source>
        <translation>{names} 尚未保存令牌或密钥，当前使用离线工作区。请选择“连接 &gt; 令牌与密钥…”进行连接。</translation>
    </message>
    <message>
        <source>Coze: Offline workspace (no token configured)</source>
        <translation>扣子：离线工作区（未配置访问令牌）</translation>
    </message>
    <message>
        <source>Coze: {profile}, signed in as {name}</source>
        <translation>扣子：{profile}，已登录为 {name}</translation>
    </message>
    <message>
        <source>Coze: {profile}, not signed in</source>
        <translation>扣子：{profile}，未登录</translation>
    </message>
    <message>
        <source>Coze: {profile}</source>
        <translation>扣子：{profile}</translation>
    </message>
    <message>
        <source>MiniMax: Offline workspace</source>
        <translation>MiniMax：离线工作区</translation>
    </message>
    <message>
        <source>MiniMax: {profile}</source>
        <translation>MiniMax：{profile}</translation>
    </message>
    <message>
        <source>The group “{group}” is full ({count}). Delete a voiceprint or choose another group.</source>
        <translation>声纹组“{group}”已满（{count}）。请删除一个声纹，或选择其他声纹组。</translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s)</source>
        <translation>
            <numerusform>%n 个声纹</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a voiceprint to the selected group, step by step</source>
        <translation>按步骤向所选声纹组添加一个声纹</translation>
    </message>
    <message>
        <source>The token was removed. {service} now uses the offline workspace.</source>
        <translation>令牌或密钥已移除。{service} 现在使用离线工作区。</translation>
    </message>
    <message>
        <source>The language changes by rebuilding the window: let the upload or transfer in progress finish (or cancel it), then choose the language again.</source>
        <translation>切换语言会重建窗口：请等正在进行的上传或传输完成（或取消它），然后再选择语言。</translation>
    </message>
    <message>
        <source>Change the language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>Changing the language rebuilds the window and closes what is open over it: %1.</source>
        <translation>切换语言会重建窗口，并关闭窗口上打开的内容：%1。</translation>
    </message>
    <message>
        <source>Change and close them</source>
        <translation>切换并关闭它们</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>The log folder could not be opened: no program to show folders answered. Its path is below; copy it into your file manager.</source>
        <translation>无法打开日志文件夹：没有可以显示文件夹的程序响应。它的路径如下，请复制到文件管理器中打开。</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Manage Coze voiceprints and MiniMax voices.</source>
        <translation>管理扣子声纹和 MiniMax 音色。</translation>
    </message>
    <message>
        <source>About Voiceprint Studio</source>
        <translation>关于声纹工作室</translation>
    </message>
    <message>
        <source>A copy, move or import is running — quit anyway?</source>
        <translation>复制、移动或导入正在进行 — 仍要退出吗？</translation>
    </message>
    <message>
        <source>It stops where it is, and nothing it did is lost: File &gt; Transfers resumes the rest, without creating anything twice.</source>
        <translation>它会停在当前位置，已完成的部分不会丢失：“文件 &gt; 传输任务”可以继续完成其余部分，不会重复创建。</translation>
    </message>
    <message>
        <source>Keep it running</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Quit Voiceprint Studio</source>
        <translation>退出声纹工作室</translation>
    </message>
    <message>
        <source>An upload is in progress — quit anyway?</source>
        <translation>正在上传 — 仍要退出吗？</translation>
    </message>
    <message>
        <source>The upload stops and the recording stays on disk. The voiceprint may or may not have been added: the app checks the next time the group is shown.</source>
        <translation>上传会停止，录音仍保留在磁盘上。声纹可能已添加，也可能没有：下次显示该声纹组时，程序会进行核对。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keep uploading</source>
        <translation>继续上传</translation>
    </message>
</context>
<context>
    <name>MiniMaxPanel</name>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Cloned</source>
        <translation>复刻</translation>
    </message>
    <message>
        <source>Designed</source>
        <translation>设计</translation>
    </message>
    <message>
        <source>Other (read-only)</source>
        <translation>其他（只读）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Voice type</source>
        <translation>音色类型</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <source>Filter by voice id, name or description</source>
        <translation>按音色 ID、名称或描述筛选</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>MiniMax lists a newly cloned voice only after it has been used once to generate speech, and deletes cloned voices that are not used for 7 days.</source>
        <translation>新复刻的音色需要先用于生成一次语音，才会出现在 MiniMax 的列表中；连续 7 天未使用的复刻音色会被 MiniMax 删除。</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message numerus="yes">
        <source>%n voice(s)</source>
        <translation>
            <numerusform>共 %n 个音色</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n shown</source>
        <translation>
            <numerusform>显示 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>System voices cannot be deleted.</source>
        <translation>系统音色无法删除。</translation>
    </message>
    <message>
        <source>Delete the selected cloned or designed voices.</source>
        <translation>删除所选的复刻音色或设计音色。</translation>
    </message>
    <message>
        <source>Select a cloned or designed voice to delete it.</source>
        <translation>选择复刻音色或设计音色后即可删除。</translation>
    </message>
    <message>
        <source>No MiniMax connection yet.</source>
        <translation>尚未连接 MiniMax。</translation>
    </message>
    <message>
        <source>Not signed in — enter a MiniMax API key (Connection &gt; Token…).</source>
        <translation>未登录 — 请输入 MiniMax API 密钥（连接 &gt; 令牌与密钥…）。</translation>
    </message>
    <message numerus="yes">
        <source>%n selected voice(s) will be kept: system voices and other kinds cannot be deleted.</source>
        <translation>
            <numerusform>所选的 %n 个音色将被保留：系统音色和其他类型的音色不能删除。</numerusform>
        </translation>
    </message>
    <message>
        <source>Voice ID</source>
        <translation>音色 ID</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Loading voices…</source>
        <translation>正在加载音色…</translation>
    </message>
    <message>
        <source>The voices could not be loaded. Click Refresh to try again.</source>
        <translation>无法加载音色。请点击“刷新”重试。</translation>
    </message>
    <message>
        <source>No voice matches “%1”. Clear the filter to see all voices.</source>
        <translation>没有与“%1”匹配的音色。清空筛选条件即可查看所有音色。</translation>
    </message>
    <message>
        <source>There are no cloned voices. A cloned voice appears here after it has been used once to generate speech.</source>
        <translation>没有复刻音色。复刻音色用于生成一次语音后，才会显示在这里。</translation>
    </message>
    <message>
        <source>There are no designed voices.</source>
        <translation>没有设计音色。</translation>
    </message>
    <message>
        <source>MiniMax returned no system voices.</source>
        <translation>MiniMax 未返回任何系统音色。</translation>
    </message>
    <message>
        <source>There are no voices.</source>
        <translation>没有音色。</translation>
    </message>
    <message>
        <source>The voices could not be loaded.</source>
        <translation>无法加载音色。</translation>
    </message>
    <message>
        <source>Delete the voice “%1”? After deletion this voice id can never be used again, not even for a new voice.</source>
        <translation>要删除音色“%1”吗？删除后，此音色 ID 将永远无法再使用，新音色也不能使用。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n voice(s)? After deletion these voice ids can never be used again, not even for new voices.</source>
        <translation>
            <numerusform>要删除 %n 个音色吗？删除后，这些音色 ID 将永远无法再使用，新音色也不能使用。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete voices</source>
        <translation>删除音色</translation>
    </message>
    <message>
        <source>Delete voice</source>
        <translation>删除音色</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message numerus="yes">
        <source>Deleting %n voice(s)…</source>
        <translation>
            <numerusform>正在删除 %n 个音色…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n voice(s).</source>
        <translation>
            <numerusform>已删除 %n 个音色。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1”: deleted.</source>
        <translation>“%1”：已删除。</translation>
    </message>
    <message>
        <source>“%1”: not deleted. %2</source>
        <translation>“%1”：未删除。%2</translation>
    </message>
    <message numerus="yes">
        <source>%n voice(s) could not be deleted.</source>
        <translation>
            <numerusform>%n 个音色未能删除。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MultiGroup</name>
    <message>
        <source>The group no longer exists.</source>
        <translation>该声纹组已不存在。</translation>
    </message>
    <message>
        <source>cancelled before its upload.</source>
        <translation>在上传前已取消。</translation>
    </message>
</context>
<context>
    <name>MultiGroupWords</name>
    <message numerus="yes">
        <source>The group is full (%n voiceprints).</source>
        <translation>
            <numerusform>该声纹组已满（%n 个）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n 个声纹组</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Adding to %1 makes about %n API call(s) on the Coze account: %2 to check that the groups still have room, then one upload per group.</source>
        <translation>
            <numerusform>添加到 %1 会在扣子账号上发出约 %n 次 API 调用：%2 次用于检查声纹组是否还有空位，然后每个声纹组上传一次。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1”: waiting</source>
        <translation>“%1”：等待中</translation>
    </message>
    <message>
        <source>“%1”: adding…</source>
        <translation>“%1”：正在添加…</translation>
    </message>
    <message>
        <source>“%1”: added</source>
        <translation>“%1”：已添加</translation>
    </message>
    <message>
        <source>“%1”: added (an earlier upload that got no answer had added it)</source>
        <translation>“%1”：已添加（之前一次没有收到应答的上传已把它添加）</translation>
    </message>
    <message>
        <source>“%1”: skipped — %2</source>
        <translation>“%1”：已跳过——%2</translation>
    </message>
    <message>
        <source>“%1”: not added — %2</source>
        <translation>“%1”：未添加——%2</translation>
    </message>
    <message>
        <source>“%1”: not known — %2</source>
        <translation>“%1”：结果不明——%2</translation>
    </message>
    <message>
        <source>“%1”: not sent — %2</source>
        <translation>“%1”：未发送——%2</translation>
    </message>
    <message numerus="yes">
        <source>Added to %1 of %n group(s).</source>
        <translation>
            <numerusform>已添加到 %1 个声纹组（共 %n 个）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NameDescFields</name>
    <message>
        <source>Optional: what this is for</source>
        <translation>可选：填写用途</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>描述(&amp;D)：</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>请输入名称。</translation>
    </message>
    <message numerus="yes">
        <source>The name is too long: use at most %n character(s).</source>
        <translation>
            <numerusform>名称过长：最多 %n 个字符。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The description is too long: use at most %n character(s).</source>
        <translation>
            <numerusform>描述过长：最多 %n 个字符。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n character(s) too many.</source>
        <translation>
            <numerusform>超出 %n 个字符。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <source>You are working in the offline workspace: the voices listed are samples kept on this computer, not your MiniMax voices. Nothing is sent to MiniMax.</source>
        <translation>您正在使用离线工作区：列出的音色是保存在这台电脑上的示例，不是您在 MiniMax 上的音色。不会向 MiniMax 发送任何内容。</translation>
    </message>
    <message>
        <source>Connect to MiniMax…</source>
        <translation>连接到 MiniMax…</translation>
    </message>
    <message>
        <source>You are working in the offline workspace: its groups and voiceprints are kept on this computer only and are not in Coze. Nothing is sent to Coze.</source>
        <translation>您正在使用离线工作区：其中的声纹组和声纹只保存在这台电脑上，不在扣子中。不会向扣子发送任何内容。</translation>
    </message>
    <message>
        <source>Connect to Coze…</source>
        <translation>连接到扣子…</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>隐藏此消息</translation>
    </message>
</context>
<context>
    <name>Pager</name>
    <message numerus="yes">
        <source>%n per page</source>
        <translation>
            <numerusform>每页 %n 条</numerusform>
        </translation>
    </message>
    <message>
        <source>First page</source>
        <translation>第一页</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Last page</source>
        <translation>最后一页</translation>
    </message>
    <message numerus="yes">
        <source>Page %1 of %2 · %n item(s)</source>
        <translation>
            <numerusform>第 %1/%2 页 · 共 %n 条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Panel</name>
    <message>
        <source>Not signed in — enter a token (Connection &gt; Token…).</source>
        <translation>未登录 — 请输入访问令牌（连接 &gt; 令牌与密钥…）。</translation>
    </message>
    <message>
        <source>Loading was cancelled. Refresh to try again.</source>
        <translation>已取消加载。请刷新重试。</translation>
    </message>
    <message>
        <source>Not refreshed: the list below may be out of date. Refresh to try again.</source>
        <translation>未能刷新：下面的列表可能不是最新的。请刷新重试。</translation>
    </message>
</context>
<context>
    <name>PendingUploads</name>
    <message>
        <source>“%1” was not added: its upload was interrupted. The recording is kept in %2.</source>
        <translation>“%1”未添加：上传被中断。录音保存在 %2。</translation>
    </message>
    <message>
        <source>“%1” may have been added — check the list before retrying.</source>
        <translation>“%1”可能已添加 — 重试前请先查看列表。</translation>
    </message>
    <message>
        <source>“%1” was added after all.</source>
        <translation>“%1”其实已添加成功。</translation>
    </message>
    <message>
        <source>No answer came, so “%1” may have been added — check the list before retrying. Retry looks for it first and does not add it twice.</source>
        <translation>没有收到服务器的答复，因此“%1”可能已添加 — 重试前请先查看列表。“重试”会先查找它，不会重复添加。</translation>
    </message>
    <message>
        <source>The upload was cancelled before the file was sent; nothing was saved.</source>
        <translation>上传在文件发送完成前已取消，未保存任何内容。</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File Folder</source>
        <comment>Match Windows Explorer</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <comment>All other platforms</comment>
        <translation>快捷方式</translation>
    </message>
    <message>
        <source>Alias</source>
        <comment>OS X Finder</comment>
        <translation>替身</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RecentlyDeleted</name>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
</context>
<context>
    <name>RecentlyDeletedDialog</name>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>%1, account “%2”</source>
        <translation>%1，账号“%2”</translation>
    </message>
    <message>
        <source>Recently deleted</source>
        <translation>最近删除</translation>
    </message>
    <message>
        <source>Voiceprints you deleted are kept here on this computer for 30 days. Restoring creates them again (with new ids); audio from before a Replace goes back into its voiceprint (the same id).</source>
        <translation>您删除的声纹会在这台电脑上保留 30 天。恢复会重新创建它们（ID 会变化）；替换前的音频会放回原来的声纹（ID 不变）。</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>声纹组</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>移除(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Empty…</source>
        <translation>清空(&amp;E)…</translation>
    </message>
    <message>
        <source>Reading what is kept here…</source>
        <translation>正在读取这里保留的内容…</translation>
    </message>
    <message>
        <source>What is kept here could not be read: %1</source>
        <translation>无法读取这里保留的内容：%1</translation>
    </message>
    <message>
        <source>The group, %1</source>
        <translation>整个声纹组，%1</translation>
    </message>
    <message>
        <source>%1 (its audio before a Restore)</source>
        <translation>%1（恢复前的音频）</translation>
    </message>
    <message>
        <source>%1 (its audio before a Replace)</source>
        <translation>%1（替换前的音频）</translation>
    </message>
    <message>
        <source>%1 kept, %2 on disk.</source>
        <translation>保留了 %1，占用 %2。</translation>
    </message>
    <message>
        <source>Nothing is kept here.</source>
        <translation>这里没有保留任何内容。</translation>
    </message>
    <message numerus="yes">
        <source>%n deletion(s)</source>
        <translation>
            <numerusform>%n 次删除</numerusform>
        </translation>
    </message>
    <message>
        <source>This makes at most %1 API calls on the Coze account (a free plan allows %2 calls in all).</source>
        <translation>这会在扣子账号上产生最多 %1 次 API 调用（免费版总共只有 %2 次）。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Create %1 again in “%2”, in %3?</source>
        <translation>要在%3的“%2”中重新创建 %1吗？</translation>
    </message>
    <message>
        <source>Restore into another workspace</source>
        <translation>恢复到另一个工作区</translation>
    </message>
    <message>
        <source>This was deleted in %1. Restore it into the open workspace, %2?</source>
        <translation>这是在%1中删除的。要恢复到当前打开的工作区“%2”吗？</translation>
    </message>
    <message>
        <source>To restore it where it was deleted, cancel, switch to that workspace and restore it from there.</source>
        <translation>如要恢复到删除它的工作区，请取消，切换到那个工作区后再从那里恢复。</translation>
    </message>
    <message>
        <source>Restore here</source>
        <translation>恢复到这里</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>The voiceprint “%1” this audio was replaced in is gone. Add the audio as a new voiceprint “%1” in “%2”?</source>
        <translation>这段音频原来所在的声纹“%1”已不存在。要把这段音频作为新声纹“%1”添加到“%2”中吗？</translation>
    </message>
    <message>
        <source>If a voiceprint of that name is back in the group already (restored with the group, say), there will be two of that name.</source>
        <translation>如果该声纹组中已经有同名的声纹（例如随声纹组一起恢复的），就会出现两个同名声纹。</translation>
    </message>
    <message>
        <source>Add as new</source>
        <translation>作为新声纹添加</translation>
    </message>
    <message numerus="yes">
        <source>The group “%1” already has voiceprint(s) named %2, with other audio (enrolled again since the delete, perhaps). Restoring makes a second voiceprint of each of those names. Restore?</source>
        <translation>
            <numerusform>声纹组“%1”中已有名为 %2 的声纹，但录音不同（可能是删除后重新录入的）。恢复后，组中将出现同名的两个声纹。要恢复吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>Identify and agents tell two voiceprints of one name apart only by their ids. To keep one, delete the other afterwards.</source>
        <translation>识别和智能体只能通过 ID 区分同名的两个声纹。如只想保留一个，请在恢复后删除另一个。</translation>
    </message>
    <message>
        <source>Restore anyway</source>
        <translation>仍然恢复</translation>
    </message>
    <message>
        <source>Nothing was created: everything this held is already in the group “%1”.</source>
        <translation>没有新建任何内容：这里保留的内容已全部在声纹组“%1”中。</translation>
    </message>
    <message>
        <source>“%1” has its audio from before the Replace again (the same id). The audio it had until now is kept here.</source>
        <translation>“%1”已恢复为替换前的音频（ID 不变）。它此前的音频保留在这里。</translation>
    </message>
    <message numerus="yes">
        <source>Restored: %n voiceprint(s) with new ids.</source>
        <translation>
            <numerusform>已恢复 %n 个声纹（使用新的 ID）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored: %n voiceprint(s) with new ids; agents that use the old ids need the new ones.</source>
        <translation>
            <numerusform>已恢复 %n 个声纹（使用新的 ID）；使用旧 ID 的智能体需要改用新 ID。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Forget the %n deletion(s) kept here (%1), from every workspace? They cannot be restored afterwards.</source>
        <translation>
            <numerusform>要清除这里保留的全部 %n 项删除记录（%1，包括所有工作区的）吗？清除后无法恢复。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not restored: %1 The entry is kept.</source>
        <translation>未恢复：%1 该记录仍会保留。</translation>
    </message>
    <message>
        <source>Remove from recently deleted</source>
        <translation>从“最近删除”中移除</translation>
    </message>
    <message>
        <source>Remove “%1” from recently deleted? Its audio (%2) is deleted from this computer and cannot be restored afterwards.</source>
        <translation>要从“最近删除”中移除“%1”吗？它的录音（%2）将从这台电脑上删除，之后无法恢复。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Empty recently deleted</source>
        <translation>清空最近删除</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>清空</translation>
    </message>
</context>
<context>
    <name>RecorderPanel</name>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>List the microphones again</source>
        <translation>重新列出麦克风</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● 录音</translation>
    </message>
    <message>
        <source>How loud the microphone hears you</source>
        <translation>麦克风听到的音量</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Read this aloud at your normal pace, about 50 cm from the microphone:</source>
        <translation>请在距麦克风约 50 厘米处，用平常的语速朗读下面这段话：</translation>
    </message>
    <message>
        <source>Earlier takes…</source>
        <translation>以前的录音…</translation>
    </message>
    <message>
        <source>Show the takes recorded before, to use one again</source>
        <translation>显示以前录的音，可再次使用</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>麦克风：</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Check of the recording</source>
        <translation>录音检查</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Show every point of the check</source>
        <translation>显示检查的每一项</translation>
    </message>
    <message>
        <source>Convert to 16 kHz mono</source>
        <translation>转换为 16 kHz 单声道</translation>
    </message>
    <message>
        <source>Write a converted copy into the recordings folder; the original stays.</source>
        <translation>把转换后的副本写入录音文件夹；原文件保持不变。</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Recent takes</source>
        <translation>最近的录音</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>Use the selected take and check it</source>
        <translation>使用所选录音并检查它</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the selected take from the disk</source>
        <translation>从磁盘上删除所选录音</translation>
    </message>
    <message>
        <source>Looking for microphones…</source>
        <translation>正在查找麦克风…</translation>
    </message>
    <message>
        <source>%1 (system default)</source>
        <translation>%1（系统默认）</translation>
    </message>
    <message>
        <source>No microphone</source>
        <translation>没有麦克风</translation>
    </message>
    <message>
        <source>Opening the microphone…</source>
        <translation>正在打开麦克风…</translation>
    </message>
    <message>
        <source>Recording… Click Stop when you have finished reading.</source>
        <translation>正在录音… 读完后请点击“停止”。</translation>
    </message>
    <message>
        <source>Saving the take…</source>
        <translation>正在保存录音…</translation>
    </message>
    <message>
        <source>The sound card has not released the microphone yet.</source>
        <translation>声卡尚未释放麦克风。</translation>
    </message>
    <message>
        <source>The take is kept on the disk and is checked as soon as it is saved; if this goes on, unplug the microphone.</source>
        <translation>录音保留在磁盘上，保存完成后会立即检查；若一直如此，请拔下麦克风。</translation>
    </message>
    <message>
        <source>The take reached the 4 MB limit (%1) and stopped.</source>
        <translation>录音已达到 4 MB 上限（%1），已自动停止。</translation>
    </message>
    <message>
        <source>A take stops by itself at %1 (the 4 MB upload limit).</source>
        <translation>录音到 %1 时自动停止（上传上限 4 MB）。</translation>
    </message>
    <message>
        <source>The last take&apos;s check (this take is checked next):</source>
        <translation>上一段录音的检查结果（这段录音录完后再检查）：</translation>
    </message>
    <message>
        <source>Trim silence</source>
        <translation>裁掉静音</translation>
    </message>
    <message>
        <source>Cut the long silence before and after the speech, in a copy; the original stays.</source>
        <translation>在副本中裁掉语音前后的长段静音；原文件保留。</translation>
    </message>
    <message>
        <source>%1 s of speech.</source>
        <translation>语音 %1 秒。</translation>
    </message>
    <message>
        <source>%1 It is converted to 16 kHz mono 16-bit, the format Coze takes, when sent; the original stays.</source>
        <translation>%1发送时会转换为扣子接受的 16 kHz 单声道 16 位格式；原文件保留。</translation>
    </message>
    <message>
        <source>It is converted to 16 kHz mono 16-bit when sent; the original stays.</source>
        <translation>发送时会转换为 16 kHz 单声道 16 位；原文件保留。</translation>
    </message>
    <message>
        <source>Usable. %1 See the details to make it better.</source>
        <translation>可以使用。%1查看详情可以录得更好。</translation>
    </message>
    <message>
        <source>Good to identify. %1</source>
        <translation>可以用于识别。%1</translation>
    </message>
    <message>
        <source>Good for enrollment. %1</source>
        <translation>适合录入声纹。%1</translation>
    </message>
    <message>
        <source>Copy saved as %1.</source>
        <translation>副本已保存为 %1。</translation>
    </message>
    <message>
        <source>%1 — started %2 — %3 (%4 MB)</source>
        <translation>%1 — 开始于 %2 — %3（%4 MB）</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>No takes yet.</source>
        <translation>还没有录音。</translation>
    </message>
    <message>
        <source>It was sent as “%1”, and that upload has had no answer yet: if the voiceprint was not added, Retry needs this take. Keep it until the voiceprints&apos; list says whether it was added.</source>
        <translation>这段录音曾作为“%1”上传，但那次上传还没有收到答复：如果声纹没有添加成功，“重试”需要用到这段录音。请保留它，直到声纹列表显示是否已添加。</translation>
    </message>
    <message>
        <source>● Record instead…</source>
        <translation>● 改为录音…</translation>
    </message>
    <message>
        <source>● Record again…</source>
        <translation>● 重新录音…</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
    <message>
        <source>Checking the recording…</source>
        <translation>正在检查录音…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Must be fixed</source>
        <translation>必须修正</translation>
    </message>
    <message numerus="yes">
        <source>Cannot be used yet: %n problem(s) to fix, listed below.</source>
        <translation>
            <numerusform>暂不能使用：有 %n 个问题需要解决，见下方列表。</numerusform>
        </translation>
    </message>
    <message>
        <source>Converting…</source>
        <translation>正在转换…</translation>
    </message>
    <message>
        <source>Delete take</source>
        <translation>删除录音</translation>
    </message>
    <message>
        <source>Delete the take “%1”?</source>
        <translation>要删除录音“%1”吗？</translation>
    </message>
    <message>
        <source>%1
The file is removed from the disk; this cannot be undone.</source>
        <translation>%1
文件将从磁盘上删除，此操作无法撤销。</translation>
    </message>
    <message>
        <source>The file is removed from the disk; this cannot be undone.</source>
        <translation>文件将从磁盘上删除，此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Deleted the take %1.</source>
        <translation>已删除录音 %1。</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ 停止</translation>
    </message>
    <message>
        <source>■ Stop playing</source>
        <translation>■ 停止播放</translation>
    </message>
    <message>
        <source>%1 s long — 10 to 30 s is best</source>
        <translation>时长 %1 秒 — 最好 10 到 30 秒</translation>
    </message>
    <message>
        <source>%1 s recorded — 10 to 30 s is best</source>
        <translation>已录 %1 秒 — 最好 10 到 30 秒</translation>
    </message>
    <message>
        <source>too loud</source>
        <translation>太响</translation>
    </message>
    <message>
        <source>too quiet</source>
        <translation>太轻</translation>
    </message>
    <message>
        <source>good</source>
        <translation>合适</translation>
    </message>
    <message>
        <source>The weather is lovely today, so after work I plan to walk along the river with a friend. We usually stop at a small café on the corner, where the owner knows our names and always asks how our week has been. Later we might buy some fresh fruit at the market and cook dinner together at home.</source>
        <translation>今天天气很好，下班以后我打算和朋友一起去河边散散步。我们常常在街角的一家小咖啡馆坐一会儿，老板认识我们，总会问问我们这一周过得怎么样。之后我们也许会去市场买些新鲜水果，再一起回家做晚饭。</translation>
    </message>
    <message>
        <source>Recording is not possible: the sound system library (PortAudio) is missing. Install it (on Debian/Ubuntu: apt install libportaudio2) to record; you can still choose an audio file.</source>
        <translation>无法录音：缺少声音系统库（PortAudio）。安装它（Debian/Ubuntu：apt install libportaudio2）后即可录音；现在仍可以选择音频文件。</translation>
    </message>
    <message>
        <source>No microphone was found. Connect one (and allow this app to use it in the system&apos;s privacy settings), then click Refresh; or choose an audio file instead.</source>
        <translation>没有找到麦克风。请连接麦克风（并在系统隐私设置中允许本程序使用），然后点击“刷新”；或者改为选择音频文件。</translation>
    </message>
    <message>
        <source>The microphone is in use by another program or not available. Close other programs that use it, or choose another microphone.</source>
        <translation>麦克风正被其他程序占用或不可用。请关闭使用它的其他程序，或选择另一个麦克风。</translation>
    </message>
    <message>
        <source>The microphone stopped delivering sound (unplugged or taken by another program). The recording so far is kept. Reconnect the microphone, then record again or use the take so far.</source>
        <translation>麦克风停止了声音输入（被拔出或被其他程序占用）。已录下的部分已保留。请重新连接麦克风后再录一次，或使用已录下的部分。</translation>
    </message>
    <message>
        <source>The microphone could not be opened. Choose another microphone, or reconnect this one and try again.</source>
        <translation>无法打开麦克风。请选择另一个麦克风，或重新连接这个麦克风后再试。</translation>
    </message>
    <message>
        <source>The recording could not be saved. Free some disk space, or check that the recordings folder can be written.</source>
        <translation>无法保存录音。请清理一些磁盘空间，或检查录音文件夹是否可写。</translation>
    </message>
    <message>
        <source>The disk is full, so the recording stopped; what was recorded so far is kept. Free some disk space, then record again or use the take so far.</source>
        <translation>磁盘已满，录音已停止；已录制的部分已保留。请释放一些磁盘空间，然后重新录制或使用已录制的部分。</translation>
    </message>
</context>
<context>
    <name>SendingWords</name>
    <message>
        <source>The check found a problem that keeps it from being added</source>
        <translation>检查发现了导致无法添加的问题</translation>
    </message>
    <message>
        <source>The check found a problem that blocks the upload</source>
        <translation>检查发现了阻止上传的问题</translation>
    </message>
    <message>
        <source>Adding…</source>
        <translation>正在添加…</translation>
    </message>
    <message>
        <source>Uploading…</source>
        <translation>正在上传…</translation>
    </message>
    <message>
        <source>Stop adding</source>
        <translation>停止添加</translation>
    </message>
    <message>
        <source>Cancel upload</source>
        <translation>取消上传</translation>
    </message>
</context>
<context>
    <name>Sizes</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop waiting for the server</source>
        <translation>不再等待服务器</translation>
    </message>
</context>
<context>
    <name>TokenDialog</name>
    <message>
        <source>Access token</source>
        <translation>令牌与密钥</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show or hide the token</source>
        <translation>显示或隐藏输入的内容</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Remove token</source>
        <translation>移除令牌</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>连接(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>令牌(&amp;T)：</translation>
    </message>
    <message>
        <source>Checking for a saved token…</source>
        <translation>正在检查已保存的令牌或密钥…</translation>
    </message>
    <message>
        <source>pat_…</source>
        <translation>pat_…</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Remove API key</source>
        <translation>移除 API 密钥</translation>
    </message>
    <message>
        <source>Create one here: %1</source>
        <translation>在这里创建：%1</translation>
    </message>
    <message>
        <source>This token contains a space or a character that cannot be part of a token (only letters A–Z, digits and ASCII punctuation can). Copy it again from the website.</source>
        <translation>该令牌包含空格或不能出现在令牌中的字符（只能包含字母 A–Z、数字和 ASCII 标点）。请从网站重新复制。</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <source>The token works: it can list voiceprint groups. Coze refused to say whom it belongs to (users/me answered 4101; that call is not in Coze&apos;s public API list), so the test listed one page of groups instead.</source>
        <translation>令牌可用：它能列出声纹组。扣子拒绝告知令牌属于谁（users/me 返回 4101；该接口不在扣子公开的 API 列表中），所以测试改为列出一页声纹组。</translation>
    </message>
    <message>
        <source>Coze refused this token when it was tested. Save it anyway?</source>
        <translation>测试时扣子拒绝了此令牌。仍要保存吗？</translation>
    </message>
    <message>
        <source>MiniMax refused this API key when it was tested. Save it anyway?</source>
        <translation>测试时 MiniMax 拒绝了此 API 密钥。仍要保存吗？</translation>
    </message>
    <message>
        <source>Once saved, it is used for every call on this connection, and those calls will most likely be refused the same way.</source>
        <translation>保存后，此连接上的每次调用都会使用它，这些调用很可能会以同样的方式被拒绝。</translation>
    </message>
    <message>
        <source>It replaces the token saved for this connection now.</source>
        <translation>它将替换此连接当前已保存的令牌。</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
    <message>
        <source>Saving the token…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Close without saving the token?</source>
        <translation>不保存令牌就关闭吗？</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>不保存，关闭</translation>
    </message>
    <message>
        <source>Paste a personal access token from the Coze website. A token from coze.cn only works with Coze China, one from coze.com only with Coze international.</source>
        <translation>请粘贴在扣子网站上创建的个人访问令牌。coze.cn 的令牌只能用于扣子（中国），coze.com 的令牌只能用于扣子国际版。</translation>
    </message>
    <message>
        <source>Paste an API key from the MiniMax website. China keys only work with MiniMax China, international keys only with MiniMax international.</source>
        <translation>请粘贴在 MiniMax 网站上创建的 API 密钥。中国区密钥只能用于 MiniMax（中国），国际版密钥只能用于 MiniMax（国际版）。</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>A token is saved for this connection. Paste a new one to replace it, or press Save to use the saved one.</source>
        <translation>此连接已保存令牌或密钥。粘贴新的即可替换，或点击“保存”继续使用已保存的。</translation>
    </message>
    <message>
        <source>No token is saved for this connection yet.</source>
        <translation>此连接尚未保存令牌或密钥。</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Signed in as {name}.</source>
        <translation>已登录为 {name}。</translation>
    </message>
    <message>
        <source>Connected to MiniMax: the API key works.</source>
        <translation>已连接到 MiniMax：API 密钥有效。</translation>
    </message>
    <message>
        <source>The token was removed from this computer.</source>
        <translation>已从本机移除令牌或密钥。</translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message>
        <source>&amp;Copy or move…</source>
        <translation>复制或移动(&amp;C)…</translation>
    </message>
    <message>
        <source>Copy or move the selected groups or voiceprint to another group or workspace</source>
        <translation>将选中的声纹组或声纹复制或移动到另一个声纹组或工作区</translation>
    </message>
    <message>
        <source>E&amp;xport groups…</source>
        <translation>导出声纹组(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the &amp;whole workspace…</source>
        <translation>导出整个工作区(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Import from an archive or CSV…</source>
        <translation>从归档文件或 CSV 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Import from a &amp;folder…</source>
        <translation>从文件夹导入(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Transfers…</source>
        <translation>传输任务(&amp;T)…</translation>
    </message>
    <message>
        <source>Recently &amp;deleted…</source>
        <translation>最近删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Open File &gt; Transfers to resume or discard them</source>
        <translation>打开“文件 &gt; 传输任务”，继续或放弃这些任务</translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) did not finish — Resume…</source>
        <translation>
            <numerusform>%n 个传输任务未完成 — 继续…</numerusform>
        </translation>
    </message>
    <message>
        <source>Voiceprint Studio</source>
        <translation>声纹工作室</translation>
    </message>
    <message>
        <source>Select the groups (or a voiceprint) to copy or move first.</source>
        <translation>请先选择要复制或移动的声纹组（或一个声纹）。</translation>
    </message>
    <message>
        <source>Select the groups to export first, or use File &gt; Export the whole workspace.</source>
        <translation>请先选择要导出的声纹组，或使用“文件 &gt; 导出整个工作区”。</translation>
    </message>
    <message>
        <source>Export to an archive</source>
        <translation>导出为归档文件</translation>
    </message>
    <message>
        <source>Voiceprint archives (*.zip)</source>
        <translation>声纹归档文件 (*.zip)</translation>
    </message>
    <message>
        <source>Import voiceprints</source>
        <translation>导入声纹</translation>
    </message>
    <message>
        <source>Voiceprint archives and CSV lists (*.zip *.csv)</source>
        <translation>声纹归档文件和 CSV 列表 (*.zip *.csv)</translation>
    </message>
    <message>
        <source>Import a folder of recordings</source>
        <translation>导入录音文件夹</translation>
    </message>
</context>
<context>
    <name>TransferErrors</name>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>source id</source>
        <translation>来源 ID</translation>
    </message>
    <message>
        <source>group {n}</source>
        <translation>第 {n} 个声纹组</translation>
    </message>
    <message>
        <source>voiceprint {n}</source>
        <translation>第 {n} 个声纹</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: {where} has a {field} that is not text.</source>
        <translation>归档文件的清单已损坏：{where}的{field}不是文本。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: {where} has no {field}.</source>
        <translation>归档文件的清单已损坏：{where}没有{field}。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: the {field} of {where} is longer than {limit} characters.</source>
        <translation>归档文件的清单已损坏：{where}的{field}超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: the {field} of {where} is not valid text.</source>
        <translation>归档文件的清单已损坏：{where}的{field}不是有效的文本。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: {where} has no valid key.</source>
        <translation>归档文件的清单已损坏：{where}没有有效的键。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is not valid JSON.</source>
        <translation>归档文件的清单不是有效的 JSON。</translation>
    </message>
    <message>
        <source>This zip file is not a Voiceprint Studio archive.</source>
        <translation>这个 zip 文件不是 Voiceprint Studio 的归档文件。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: it has no valid version.</source>
        <translation>归档文件的清单已损坏：没有有效的版本号。</translation>
    </message>
    <message>
        <source>This archive was made by a newer Voiceprint Studio (format {version}); update the app to import it.</source>
        <translation>这个归档文件由更新版本的 Voiceprint Studio 创建（格式 {version}）；请先更新本应用，再导入。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: groups or voiceprints are missing.</source>
        <translation>归档文件的清单已损坏：缺少声纹组或声纹列表。</translation>
    </message>
    <message>
        <source>The archive lists more entries than Voiceprint Studio accepts.</source>
        <translation>归档文件列出的条目超过了 Voiceprint Studio 能接受的数量。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: two groups have the same key.</source>
        <translation>归档文件的清单已损坏：有两个声纹组的键相同。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: {where} names no listed group.</source>
        <translation>归档文件的清单已损坏：{where}所属的声纹组不在清单中。</translation>
    </message>
    <message>
        <source>The archive was refused: {where} points at a file outside the archive&apos;s audio folder.</source>
        <translation>已拒绝该归档文件：{where}指向归档文件音频文件夹以外的文件。</translation>
    </message>
    <message>
        <source>The archive was refused: {where} is not a wav or pcm file.</source>
        <translation>已拒绝该归档文件：{where}不是 wav 或 pcm 文件。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: {where} reuses another&apos;s file.</source>
        <translation>归档文件的清单已损坏：{where}与另一个声纹使用了同一个文件。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: {where} has no valid sha256.</source>
        <translation>归档文件的清单已损坏：{where}没有有效的 sha256 校验值。</translation>
    </message>
    <message>
        <source>The archive was refused: the audio of {where} is empty or larger than 4 MB.</source>
        <translation>已拒绝该归档文件：{where}的音频为空或大于 4 MB。</translation>
    </message>
    <message>
        <source>The archive&apos;s manifest is damaged: two voiceprints have the same key.</source>
        <translation>归档文件的清单已损坏：有两个声纹的键相同。</translation>
    </message>
    <message>
        <source>The archive was refused: {file} is larger than an archive entry may be.</source>
        <translation>已拒绝该归档文件：{file} 超过了归档条目允许的大小。</translation>
    </message>
    <message>
        <source>The archive changed while it was read: the audio of “{name}” no longer matches.</source>
        <translation>归档文件在读取过程中被修改：“{name}”的音频已与校验值不符。</translation>
    </message>
    <message>
        <source>The archive {file} does not exist.</source>
        <translation>归档文件 {file} 不存在。</translation>
    </message>
    <message>
        <source>{file} is not a zip archive, or it is damaged.</source>
        <translation>{file} 不是 zip 归档文件，或已损坏。</translation>
    </message>
    <message>
        <source>The archive holds more files than Voiceprint Studio accepts.</source>
        <translation>归档文件包含的文件超过了 Voiceprint Studio 能接受的数量。</translation>
    </message>
    <message>
        <source>The archive was refused: it holds two files with the same name.</source>
        <translation>已拒绝该归档文件：其中有两个同名文件。</translation>
    </message>
    <message>
        <source>The archive was refused: the entry “{file}” would be written outside its folder.</source>
        <translation>已拒绝该归档文件：条目“{file}”会被写到其文件夹以外。</translation>
    </message>
    <message>
        <source>This zip file is not a Voiceprint Studio archive (no manifest).</source>
        <translation>这个 zip 文件不是 Voiceprint Studio 的归档文件（没有清单）。</translation>
    </message>
    <message>
        <source>The archive was refused: it holds files its manifest does not list ({file}).</source>
        <translation>已拒绝该归档文件：其中有清单未列出的文件（{file}）。</translation>
    </message>
    <message>
        <source>The archive is incomplete: the audio of “{name}” is missing.</source>
        <translation>归档文件不完整：缺少“{name}”的音频。</translation>
    </message>
    <message>
        <source>The archive was refused: the audio of “{name}” does not match its checksum (the file was changed or damaged).</source>
        <translation>已拒绝该归档文件：“{name}”的音频与校验值不符（文件被修改或已损坏）。</translation>
    </message>
    <message>
        <source>{file} is damaged and cannot be read ({what}).</source>
        <translation>{file} 已损坏，无法读取（{what}）。</translation>
    </message>
    <message>
        <source>Set the environment variable {variable} to the server&apos;s token; the token is never taken from the command line.</source>
        <translation>请将环境变量 {variable} 设为该服务器的令牌；令牌不会从命令行读取。</translation>
    </message>
    <message>
        <source>There is no group named {name} (or with that id).</source>
        <translation>没有名为 {name} 的声纹组（也没有该 ID 的声纹组）。</translation>
    </message>
    <message>
        <source>{folder} is not an unfinished job.</source>
        <translation>{folder} 不是未完成的传输任务。</translation>
    </message>
    <message>
        <source>The transfer {job} is already running (in this app or another window or command); wait for it to finish.</source>
        <translation>传输任务 {job} 已在运行（在本应用、另一个窗口或命令中）；请等它完成。</translation>
    </message>
    <message>
        <source>it is already in that group; choose another group as the destination</source>
        <translation>它已在该声纹组中；请选择另一个声纹组作为目标</translation>
    </message>
    <message>
        <source>the service may still be adding it from the try that got no answer: it was not sent again; resume in {seconds} seconds</source>
        <translation>上次发送后没有收到答复，服务器可能仍在添加它；为免重复添加，这次没有再次发送。请在 {seconds} 秒后再继续此任务</translation>
    </message>
    <message>
        <source>its audio does not match the source&apos;s checksum</source>
        <translation>其音频与来源的校验值不符</translation>
    </message>
    <message>
        <source>the group name “{name}” is longer than {most} characters, the most Coze takes: shorten it (a folder&apos;s name, a CSV&apos;s group column), then import again</source>
        <translation>声纹组名称“{name}”超过了扣子允许的 {most} 个字符：请把它改短（文件夹的名称，或 CSV 的 group 列），然后重新导入</translation>
    </message>
    <message>
        <source>no room was left: the group holds {count} voiceprints (with those this job added), the most it can hold</source>
        <translation>没有空位了：该声纹组（连同本任务添加的）已有 {count} 个声纹，已达上限</translation>
    </message>
    <message>
        <source>the service may still be creating the group “{name}” from the try that got no answer: it was not created again; resume in {seconds} seconds</source>
        <translation>上次创建声纹组“{name}”时没有收到答复，服务器可能仍在创建它；为免重复创建，这次没有再次创建。请在 {seconds} 秒后再继续此任务</translation>
    </message>
    <message>
        <source>its audio was changed after it was copied, so the original was not deleted; copy it again to bring the new audio</source>
        <translation>它的音频在复制后被更改过，因此没有删除原声纹；请再复制一次以带上新的音频</translation>
    </message>
    <message>
        <source>copied, but the original was not deleted: a copy of it could not be kept in Recently deleted first: {error}</source>
        <translation>已复制，但原声纹没有删除：无法先在“最近删除”中保留它的副本：{error}</translation>
    </message>
    <message>
        <source>copied, but the original could not be deleted: {error}</source>
        <translation>已复制，但无法删除原声纹：{error}</translation>
    </message>
    <message>
        <source>copied; the original&apos;s delete got no answer, so it may be gone (kept in Recently deleted): resume to finish: {error}</source>
        <translation>已复制；删除原声纹时没有收到答复，它可能已被删除（已保留在“最近删除”中）：请继续任务以完成：{error}</translation>
    </message>
    <message>
        <source>its group “{group}” is no longer in the source workspace (deleted after the job was set up)</source>
        <translation>它所在的声纹组“{group}”已不在源工作区中（在任务设置之后被删除）</translation>
    </message>
    <message>
        <source>it is no longer in the group “{group}” (deleted after the job was set up)</source>
        <translation>它已不在声纹组“{group}”中（在任务设置之后被删除）</translation>
    </message>
    <message>
        <source>An archive&apos;s entries are not deleted by an import.</source>
        <translation>导入不会删除归档文件中的条目。</translation>
    </message>
    <message>
        <source>No audio files were found in {folder} (wav, pcm, flac, ogg or mp3; one sub-folder per group).</source>
        <translation>在 {folder} 中没有找到音频文件（wav、pcm、flac、ogg 或 mp3；每个声纹组一个子文件夹）。</translation>
    </message>
    <message>
        <source>The CSV file {file} cannot be read ({what}).</source>
        <translation>无法读取 CSV 文件 {file}（{what}）。</translation>
    </message>
    <message>
        <source>The CSV file {file} needs the columns file, name, description and group (missing: {columns}).</source>
        <translation>CSV 文件 {file} 需要 file、name、description 和 group 这几列（缺少：{columns}）。</translation>
    </message>
    <message>
        <source>The CSV file {file} lists no files.</source>
        <translation>CSV 文件 {file} 中没有列出任何文件。</translation>
    </message>
    <message>
        <source>it has no name</source>
        <translation>没有名称</translation>
    </message>
    <message>
        <source>its name is longer than {limit} characters</source>
        <translation>名称超过 {limit} 个字符</translation>
    </message>
    <message>
        <source>it has no group</source>
        <translation>没有指定声纹组</translation>
    </message>
    <message>
        <source>the checker blocked it: {findings}</source>
        <translation>未通过录入检查：{findings}</translation>
    </message>
    <message>
        <source>it could not be converted: {problem}</source>
        <translation>无法转换：{problem}</translation>
    </message>
    <message>
        <source>even converted it is larger than 4 MB; use a shorter clip</source>
        <translation>转换后仍大于 4 MB；请使用更短的片段</translation>
    </message>
    <message>
        <source>Files are not deleted by an import.</source>
        <translation>导入不会删除文件。</translation>
    </message>
    <message>
        <source>the background process running the job stopped unexpectedly (exit code {code}).</source>
        <translation>后台运行该任务的进程意外退出（退出码 {code}）。</translation>
    </message>
    <message>
        <source>This job was started on the account “{then}”, but the token now saved for {workspace} belongs to “{now}”, so nothing was done. To resume it, save the token of “{then}” again (Connection &gt; Token…); or discard the job.</source>
        <translation>此任务是在账号“{then}”上开始的，但{workspace}现在保存的令牌属于“{now}”，所以什么也没有做。要继续此任务，请重新保存“{then}”的令牌（“连接 &gt; 令牌与密钥…”）；或者放弃此任务。</translation>
    </message>
</context>
<context>
    <name>TransferWords</name>
    <message>
        <source>Enter a name for the new group.</source>
        <translation>请输入新声纹组的名称。</translation>
    </message>
    <message numerus="yes">
        <source>The name is too long: use at most %n character(s).</source>
        <translation>
            <numerusform>名称过长：最多 %n 个字符。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” is the group they are in: give the new group another name.</source>
        <translation>它们就在“%1”中：请给新声纹组起另一个名称。</translation>
    </message>
    <message>
        <source>A group named “%1” exists already: choose it in the list instead.</source>
        <translation>已有名为“%1”的声纹组：请在上面的列表中选择它。</translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s)</source>
        <translation>
            <numerusform>%n 个声纹</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n 个声纹组</numerusform>
        </translation>
    </message>
    <message>
        <source>The group “%1” with all its voiceprints</source>
        <translation>声纹组“%1”及其中全部声纹</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) with all their voiceprints</source>
        <translation>
            <numerusform>%n 个声纹组及其中全部声纹</numerusform>
        </translation>
    </message>
    <message>
        <source>The voiceprint “%1” from the group “%2”</source>
        <translation>声纹组“%2”中的声纹“%1”</translation>
    </message>
    <message>
        <source>%1 from the group “%2”</source>
        <translation>声纹组“%2”中的%1</translation>
    </message>
    <message numerus="yes">
        <source>%n created</source>
        <translation>
            <numerusform>新建 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already there</source>
        <translation>
            <numerusform>已存在 %n 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n original(s) deleted</source>
        <translation>
            <numerusform>已删除 %n 个原声纹</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n done by an earlier run</source>
        <translation>
            <numerusform>之前的运行已完成 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>%1.</source>
        <translation>%1。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Skipped “%1”: %2</source>
        <translation>已跳过“%1”：%2</translation>
    </message>
    <message>
        <source>Skipped %1: %2</source>
        <translation>已跳过 %1：%2</translation>
    </message>
    <message>
        <source>Not done “%1”: %2</source>
        <translation>未完成“%1”：%2</translation>
    </message>
    <message>
        <source>Not done %1: %2</source>
        <translation>未完成 %1：%2</translation>
    </message>
    <message>
        <source>Cancelled. What was done is kept; resume the rest from File &gt; Transfers.</source>
        <translation>已取消。已完成的部分会保留；可在“文件 &gt; 传输任务”中继续其余部分。</translation>
    </message>
    <message>
        <source>Resume from File &gt; Transfers to try the rest again; nothing is duplicated.</source>
        <translation>可在“文件 &gt; 传输任务”中继续，重试其余部分；不会重复创建。</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <translation>
            <numerusform>另外 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 voiceprints (%2)</source>
        <translation>%1 个声纹（%2）</translation>
    </message>
</context>
<context>
    <name>TransfersDialog</name>
    <message>
        <source>Transfers</source>
        <translation>传输任务</translation>
    </message>
    <message>
        <source>Copies, moves and imports that did not finish. Resume one to do the rest: nothing is created twice, and a move deletes an original only after its copy is confirmed.</source>
        <translation>未完成的复制、移动和导入。继续任务即可完成其余部分：不会重复创建；移动时只有在副本确认后才删除原声纹。</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Into</source>
        <translation>目标工作区</translation>
    </message>
    <message>
        <source>Voiceprints done</source>
        <translation>已完成的声纹</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>%1 into %2</source>
        <translation>%1到%2</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Every transfer finished.</source>
        <translation>所有传输任务都已完成。</translation>
    </message>
    <message>
        <source>This transfer does not say which workspace it goes to (it was started from the command line, or by an older version): run it again where it was started, or discard it.</source>
        <translation>这个传输任务没有记录要传到哪个工作区（它是从命令行或旧版本启动的）：请在启动它的地方重新运行，或者放弃它。</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>正在继续…</translation>
    </message>
    <message>
        <source>The job stopped again: %1</source>
        <translation>任务再次停止：%1</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>Most likely %1.</source>
        <translation>最可能是“%1”。</translation>
    </message>
    <message>
        <source>%1 and %2 both match closely — perhaps one person enrolled twice (check the group); otherwise record a longer clip.</source>
        <translation>%1 和 %2 都非常接近——可能是同一个人录入了两次（请检查声纹组）；否则请录一段更长的录音。</translation>
    </message>
    <message>
        <source>Can&apos;t tell %1 from %2 — record a longer clip.</source>
        <translation>无法区分“%1”和“%2”——请录一段更长的录音。</translation>
    </message>
    <message>
        <source>Can&apos;t tell: too little speech — record a longer clip.</source>
        <translation>无法判断：语音太少——请录一段更长的录音。</translation>
    </message>
    <message>
        <source>No match.</source>
        <translation>没有匹配的声纹。</translation>
    </message>
    <message>
        <source>The clip holds %1 s of speech; identifying a speaker needs at least %2 s.</source>
        <translation>这段录音只有 %1 秒语音；识别说话人至少需要 %2 秒。</translation>
    </message>
    <message>
        <source>No scores came back.</source>
        <translation>没有返回任何分数。</translation>
    </message>
    <message>
        <source>The highest score, %1 for “%2”, is not above the match threshold of %3.</source>
        <translation>最高分是“%2”的 %1，没有超过匹配阈值 %3。</translation>
    </message>
    <message>
        <source>“%1” scored %2, above the match threshold of %3; there is no other voiceprint to compare with.</source>
        <translation>“%1”得分 %2，超过匹配阈值 %3；没有其他声纹可供比较。</translation>
    </message>
    <message>
        <source>“%1” scored %2 and “%3” %4: only %5 apart, less than the lead of %6 needed to tell them apart (match threshold %7).</source>
        <translation>“%1”得分 %2，“%3”得分 %4：只差 %5 分，不到区分两者所需的 %6 分（匹配阈值 %7）。</translation>
    </message>
    <message>
        <source>“%1” scored %2, above the match threshold of %3, and %4 ahead of “%5” (%6); a lead of %7 is needed.</source>
        <translation>“%1”得分 %2，超过匹配阈值 %3，比“%5”（%6）高出 %4 分；至少高出 %7 分才算明确。</translation>
    </message>
</context>
<context>
    <name>VoiceprintDialog</name>
    <message>
        <source>Add voiceprint</source>
        <translation>添加声纹</translation>
    </message>
    <message>
        <source>Add a voiceprint to the group “%1”.</source>
        <translation>向声纹组“%1”添加声纹。</translation>
    </message>
    <message>
        <source>Edit voiceprint</source>
        <translation>编辑声纹</translation>
    </message>
    <message>
        <source>Change the name or description of “%1”.</source>
        <translation>修改“%1”的名称或描述。</translation>
    </message>
    <message>
        <source>Replace audio</source>
        <translation>替换音频</translation>
    </message>
    <message>
        <source>The speaker&apos;s name, e.g. Wang Fang</source>
        <translation>说话人姓名，例如：王芳</translation>
    </message>
    <message>
        <source>Choose a wav or pcm file</source>
        <translation>选择 wav 或 pcm 文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Chec&amp;k</source>
        <translation>检查(&amp;K)</translation>
    </message>
    <message>
        <source>Check the file for enrollment before uploading it</source>
        <translation>上传前检查文件是否适合录入声纹</translation>
    </message>
    <message>
        <source>Sample rate:</source>
        <translation>采样率：</translation>
    </message>
    <message>
        <source>Channels:</source>
        <translation>声道数：</translation>
    </message>
    <message>
        <source>Raw pcm has no header: Coze needs 16000 Hz, 1 channel, 16-bit.</source>
        <translation>原始 pcm 没有文件头：扣子要求 16000 Hz、单声道、16 位。</translation>
    </message>
    <message>
        <source>Audio file:</source>
        <translation>音频文件：</translation>
    </message>
    <message>
        <source>A wav or pcm file of at most 4 MB with one person speaking clearly.</source>
        <translation>不超过 4 MB 的 wav 或 pcm 文件，内容为单人清晰说话。</translation>
    </message>
    <message>
        <source>&amp;Record with the microphone</source>
        <translation>用麦克风录音(&amp;R)</translation>
    </message>
    <message>
        <source>Use a &amp;file</source>
        <translation>使用文件(&amp;F)</translation>
    </message>
    <message>
        <source>Done: see the result for each group above, then close the dialog.</source>
        <translation>已完成：请查看上方每个声纹组的结果，然后关闭对话框。</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>Converting the file for Coze…</source>
        <translation>正在为扣子转换文件…</translation>
    </message>
    <message>
        <source>This file cannot be read as audio: check the path, or choose the file with Browse.</source>
        <translation>无法将此文件读取为音频：请检查路径，或点击“浏览”选择文件。</translation>
    </message>
    <message>
        <source>Check the file first: press Check.</source>
        <translation>请先检查该文件：点击“检查”。</translation>
    </message>
    <message>
        <source>Coze accepts raw pcm only as 16000 Hz, 1 channel: choose a wav file instead.</source>
        <translation>扣子只接受 16000 Hz、单声道的原始 pcm：请改选 wav 文件。</translation>
    </message>
    <message>
        <source>Checking that the groups still have room…</source>
        <translation>正在检查这些声纹组是否还有空位…</translation>
    </message>
    <message>
        <source>Close without adding the voiceprint?</source>
        <translation>不添加声纹就关闭吗？</translation>
    </message>
    <message>
        <source>Close without replacing the audio?</source>
        <translation>不替换音频就关闭吗？</translation>
    </message>
    <message>
        <source>Close without adding</source>
        <translation>不添加，关闭</translation>
    </message>
    <message>
        <source>Close without replacing</source>
        <translation>不替换，关闭</translation>
    </message>
    <message>
        <source>Converted to 16 kHz mono 16-bit, the format Coze takes: %1 is sent; the original file is unchanged.</source>
        <translation>已转换为扣子接受的 16 kHz 单声道 16 位格式：发送的是 %1；原文件未改动。</translation>
    </message>
    <message>
        <source>Replace the enrollment audio of “%1”. The old recording is kept in File &gt; Recently deleted for 30 days.</source>
        <translation>替换“%1”的录入音频。旧录音会在“文件 &gt; 最近删除”中保留 30 天。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Stop the recording first.</source>
        <translation>请先停止录音。</translation>
    </message>
    <message>
        <source>Record the audio, or choose a file.</source>
        <translation>请录音，或选择一个文件。</translation>
    </message>
    <message>
        <source>Choose the audio file.</source>
        <translation>请选择音频文件。</translation>
    </message>
    <message>
        <source>Checking the recording…</source>
        <translation>正在检查录音…</translation>
    </message>
    <message>
        <source>%1: see the check.</source>
        <translation>%1：请看检查结果。</translation>
    </message>
    <message>
        <source>Cancel check</source>
        <translation>取消检查</translation>
    </message>
    <message>
        <source>Checking that this voice is not already in the group…</source>
        <translation>正在检查这个声音是否已在声纹组中…</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Choose the enrollment audio</source>
        <translation>选择声纹录音</translation>
    </message>
    <message>
        <source>Audio (*.wav *.pcm)</source>
        <translation>音频 (*.wav *.pcm)</translation>
    </message>
    <message>
        <source>Close without saving the changes?</source>
        <translation>不保存更改就关闭吗？</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>不保存，关闭</translation>
    </message>
    <message>
        <source>Adding to “%1” (%2 of %3)…</source>
        <translation>正在添加到“%1”（第 %2 个，共 %3 个）…</translation>
    </message>
    <message>
        <source>Uploading to “%1” (%2 of %3)…</source>
        <translation>正在上传到“%1”（第 %2 个，共 %3 个）…</translation>
    </message>
    <message>
        <source>“%1” (%2 of %3): %4 of %5</source>
        <translation>“%1”（第 %2 个，共 %3 个）：%4 / %5</translation>
    </message>
    <message>
        <source>The recording is kept in %1.</source>
        <translation>录音保存在 %1。</translation>
    </message>
    <message>
        <source>The groups could not be checked: %1 Nothing was sent.</source>
        <translation>无法检查这些声纹组：%1 没有发送任何内容。</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败的</translation>
    </message>
    <message>
        <source>Send again to the groups that did not get it; none gets it twice.</source>
        <translation>重新发送到还没有收到的声纹组；不会有声纹组收到两次。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>VoiceprintsPanel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>创建者</translation>
    </message>
    <message>
        <source>&amp;Add voiceprint…</source>
        <translation>添加声纹(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit voiceprint…</source>
        <translation>编辑声纹(&amp;E)…</translation>
    </message>
    <message>
        <source>Change the name or description</source>
        <translation>修改名称或描述</translation>
    </message>
    <message>
        <source>&amp;Replace audio…</source>
        <translation>替换音频(&amp;R)…</translation>
    </message>
    <message>
        <source>Enroll the selected voiceprint again from a new file</source>
        <translation>用新文件重新录入所选声纹</translation>
    </message>
    <message>
        <source>&amp;Delete voiceprint</source>
        <translation>删除声纹(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected voiceprint</source>
        <translation>删除所选声纹</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Listen to the enrollment audio</source>
        <translation>试听声纹录音</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop playing</source>
        <translation>停止播放</translation>
    </message>
    <message>
        <source>Save audio &amp;as…</source>
        <translation>音频另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the enrollment audio as a file</source>
        <translation>将声纹录音另存为文件</translation>
    </message>
    <message>
        <source>Select one voiceprint group above to see its voiceprints.</source>
        <translation>请在上方选择一个声纹组以查看其中的声纹。</translation>
    </message>
    <message>
        <source>This group has no voiceprints yet. Click Add voiceprint to record the speaker with a microphone, or to use a wav or pcm file.</source>
        <translation>此声纹组中还没有声纹。点击“添加声纹”，即可用麦克风为说话人录音，或使用 wav、pcm 文件。</translation>
    </message>
    <message>
        <source>Loading voiceprints…</source>
        <translation>正在加载声纹…</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <source>Voiceprints</source>
        <translation>声纹</translation>
    </message>
    <message>
        <source>Voiceprints of “%1” · %2 of %3</source>
        <translation>“%1”中的声纹 · %2/%3</translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s)</source>
        <translation>
            <numerusform>%n 个声纹</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This group is full: it has %n voiceprints, the most Coze allows. Delete a voiceprint first to add another.</source>
        <translation>
            <numerusform>此声纹组已满：已有 %n 个声纹，达到扣子允许的上限。请先删除一个声纹，再添加新的声纹。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The group is full (%n voiceprints). Delete a voiceprint first to add another.</source>
        <translation>
            <numerusform>声纹组已满（%n 个声纹）。请先删除一个声纹，再添加新的声纹。</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a voiceprint from a wav or pcm file (Ctrl+N)</source>
        <translation>从 wav 或 pcm 文件添加声纹 (Ctrl+N)</translation>
    </message>
    <message>
        <source>The new audio of “%1” may have been saved: its old audio stays in File &gt; Recently deleted.</source>
        <translation>“%1”的新录音可能已经保存：旧录音保留在“文件 &gt; 最近删除”中。</translation>
    </message>
    <message>
        <source>Added “%1”.</source>
        <translation>已添加“%1”。</translation>
    </message>
    <message>
        <source>Saved “%1”. Its old audio is kept in File &gt; Recently deleted.</source>
        <translation>已保存“%1”。旧音频保留在“文件 &gt; 最近删除”中。</translation>
    </message>
    <message>
        <source>“%1” is already in this group: two voiceprints of one name look the same in lists and in identify results. Add something that tells them apart, such as a place.</source>
        <translation>该声纹组中已有“%1”：同名的两个声纹在列表和识别结果中看起来一样。请加上能区分它们的内容，例如地点。</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Press Retry to send it again.</source>
        <translation>点击“重试”可再次发送。</translation>
    </message>
    <message>
        <source>The upload was cancelled after the file was sent, so the new audio may have been saved. Press Retry to send it again.</source>
        <translation>上传在文件发送完成后才取消，新的音频可能已保存。点击“重试”可再次发送。</translation>
    </message>
    <message>
        <source>%1 Press Retry to try again.</source>
        <translation>%1 点击“重试”可再试一次。</translation>
    </message>
    <message>
        <source>Delete voiceprint</source>
        <translation>删除声纹</translation>
    </message>
    <message>
        <source>Delete the voiceprint “%1” from the group “%2”?</source>
        <translation>要从声纹组“%2”中删除声纹“%1”吗？</translation>
    </message>
    <message>
        <source>A copy of the recording is kept on this computer for 30 days: File &gt; Recently deleted restores it (as a new voiceprint, with a new id).</source>
        <translation>录音的副本会在这台电脑上保留 30 天：可在“文件 &gt; 最近删除”中恢复（恢复后为新声纹，ID 会变化）。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <source>Downloading the audio of “%1”…</source>
        <translation>正在下载“%1”的音频…</translation>
    </message>
    <message>
        <source>Playing “%1”…</source>
        <translation>正在播放“%1”…</translation>
    </message>
    <message>
        <source>Cannot play audio</source>
        <translation>无法播放音频</translation>
    </message>
    <message>
        <source>This computer cannot play sound: the sound system library (PortAudio) is not installed.</source>
        <translation>此计算机无法播放声音：未安装声音系统库 (PortAudio)。</translation>
    </message>
    <message>
        <source>This computer cannot play sound: no sound output device was found.</source>
        <translation>此计算机无法播放声音：未找到声音输出设备。</translation>
    </message>
    <message>
        <source>The sound output stopped with an error.</source>
        <translation>声音输出因出错而停止。</translation>
    </message>
    <message>
        <source>This audio cannot be played here.</source>
        <translation>无法在此播放该音频。</translation>
    </message>
    <message>
        <source>Save the audio as a file and play it in another program.</source>
        <translation>请将音频另存为文件，然后用其他程序播放。</translation>
    </message>
    <message>
        <source>Save audio as…</source>
        <translation>音频另存为…</translation>
    </message>
    <message>
        <source>Save audio as</source>
        <translation>音频另存为</translation>
    </message>
    <message>
        <source>Audio (*.wav *.pcm)</source>
        <translation>音频 (*.wav *.pcm)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Saved the audio to %1.</source>
        <translation>已将音频保存到 %1。</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <source>Waveform of the take</source>
        <translation>录音波形</translation>
    </message>
</context>
<context>
    <name>WindowHost</name>
    <message>
        <source>No Chinese font is installed, so Chinese text shows as empty boxes.</source>
        <extracomment>Keep this in English: it is shown when there is no font to show Chinese with.</extracomment>
        <translation>No Chinese font is installed, so Chinese text shows as empty boxes.</translation>
    </message>
    <message>
        <source>Install one and start the app again (on Debian or Ubuntu: sudo apt install fonts-noto-cjk), or choose View &gt; Language &gt; English.</source>
        <extracomment>Keep this in English: it is shown when there is no font to show Chinese with.</extracomment>
        <translation>Install one and start the app again (on Debian or Ubuntu: sudo apt install fonts-noto-cjk), or choose View &gt; Language &gt; English.</translation>
    </message>
    <message>
        <source>OK</source>
        <extracomment>Keep this in English: it is shown when there is no font to show Chinese with.</extracomment>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>WorkDialog</name>
    <message>
        <source>%1 of %2 done…</source>
        <translation>已完成 %1 / %2…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>WorkspaceRecoveryDialog</name>
    <message>
        <source>Offline workspace damaged</source>
        <translation>离线工作区已损坏</translation>
    </message>
    <message numerus="yes">
        <source>The offline workspace&apos;s database file is missing, but %n recording(s) are still in its folder.</source>
        <translation>
            <numerusform>离线工作区的数据库文件丢失，但其文件夹中仍有 %n 个录音。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The offline workspace&apos;s database file is empty, but %n recording(s) are still in its folder.</source>
        <translation>
            <numerusform>离线工作区的数据库文件是空的，但其文件夹中仍有 %n 个录音。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The offline workspace&apos;s database file is damaged and cannot be read. %n recording(s) are in its folder.</source>
        <translation>
            <numerusform>离线工作区的数据库文件已损坏，无法读取。其文件夹中有 %n 个录音。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing has been changed or deleted. Voiceprint Studio can rebuild the list of groups and voiceprints from the recordings (their names are stored next to each one), or start with an empty list. Either way the damaged file is kept aside in the workspace folder, and no recording is deleted.</source>
        <translation>没有更改或删除任何内容。Voiceprint Studio 可以根据录音重建声纹组和声纹列表（名称保存在每个录音旁边），也可以从空列表开始。无论选择哪种方式，损坏的文件都会另存在工作区文件夹中，不会删除任何录音。</translation>
    </message>
    <message>
        <source>Folder: {folder}</source>
        <translation>文件夹：{folder}</translation>
    </message>
    <message>
        <source>Rebuild from recordings</source>
        <translation>根据录音重建</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>从空列表开始</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Rebuilding the list from the recordings…</source>
        <translation>正在根据录音重建列表…</translation>
    </message>
    <message>
        <source>Starting an empty list…</source>
        <translation>正在创建空列表…</translation>
    </message>
    <message>
        <source>The offline workspace is open again.</source>
        <translation>离线工作区已重新打开。</translation>
    </message>
    <message>
        <source>The database could be read again; nothing was changed.</source>
        <translation>数据库现在可以读取；没有做任何更改。</translation>
    </message>
    <message numerus="yes">
        <source>%n group(s) restored.</source>
        <translation>
            <numerusform>已恢复 %n 个声纹组。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n voiceprint(s) restored.</source>
        <translation>
            <numerusform>已恢复 %n 个声纹。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recording(s) without a name were moved to {folder}; add them again to enroll them.</source>
        <translation>
            <numerusform>%n 个没有名称的录音已移至 {folder}；如需注册，请重新添加。</numerusform>
        </translation>
    </message>
    <message>
        <source>The damaged file was kept as {name}.</source>
        <translation>损坏的文件已另存为 {name}。</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示此帮助信息并退出</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>缺少必需的参数：%s</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>需要一个值</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>最多只能有一个值</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>至少需要一个值</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>选项不明确：%(option)s 可能是 %(matches)s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>忽略了显式给出的值 %r</translation>
    </message>
</context>
</TS>
