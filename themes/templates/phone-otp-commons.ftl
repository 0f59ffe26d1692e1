<#-- Parts shared by the phone-otp pages. Only the theme's kc* class properties, so they render
     under keycloak.v2, the legacy keycloak theme and custom themes alike. Paragraphs also say
     text-align: start, because the legacy theme's label class aligns left even on right-to-left pages. -->

<#-- A field's error, in keycloak.v2's helper-text markup (empty properties elsewhere), which shows it in red there. -->
<#macro fieldError field>
    <#if messagesPerField.existsError(field)>
        <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
            <div class="${properties.kcInputHelperTextClass!}">
                <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}">
                    <span id="input-error-${field}" class="${properties.kcInputErrorMessageClass!}">
                        ${kcSanitize(messagesPerField.get(field))?no_esc}
                    </span>
                </div>
            </div>
        </div>
    </#if>
</#macro>

<#macro codeField codeLength>
    <div class="${properties.kcFormGroupClass!}">
        <div class="${properties.kcLabelWrapperClass!}">
            <label for="code" class="${properties.kcLabelClass!}">${msg("phoneOtpCodeLabel")}</label>
        </div>
        <div class="${properties.kcInputWrapperClass!}">
            <input id="code" name="code" type="text" class="${properties.kcInputClass!}"
                   autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*"
                   maxlength="${codeLength}" autofocus dir="ltr"
                   aria-invalid="<#if messagesPerField.existsError('code')>true</#if>" />
            <@fieldError field="code"/>
        </div>
    </div>
</#macro>

<#macro submit id label name="">
    <div class="${properties.kcFormGroupClass!}">
        <div class="${properties.kcFormButtonsClass!}">
            <input class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                   <#if name?has_content>name="${name}"</#if> id="${id}" type="submit" value="${msg(label)}" />
        </div>
    </div>
</#macro>

<#-- A secondary submit button that skips the browser's field validation (resend, switch, cancel). -->
<#macro secondary id name label value="true" disabled=false>
    <div class="${properties.kcFormButtonsClass!}">
        <button class="${properties.kcButtonClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!}"
                name="${name}" id="${id}" type="submit" value="${value}" formnovalidate <#if disabled>disabled</#if>>${msg(label)}</button>
    </div>
</#macro>

<#-- Resend and switch-channel controls, with the countdown that phone-otp-countdown.js runs. -->
<#macro resendControls channel otherChannel canResend resendWaitSeconds link=false>
    <#if !canResend>
        <p id="phone-otp-no-more-sends" class="${properties.kcLabelClass!}" style="text-align: start">${msg("phoneOtpNoMoreSends")}</p>
    <#elseif resendWaitSeconds gt 0>
        <#assign resendIn = link?then("phoneOtpResendLinkIn", "phoneOtpResendIn")>
        <p id="phone-otp-resend-wait" class="${properties.kcLabelClass!}" style="text-align: start" aria-live="polite"
           data-seconds="${resendWaitSeconds?c}" data-template="${msg(resendIn, "{0}")}">${msg(resendIn, resendWaitSeconds?c)}</p>
    </#if>
    <@secondary id="phone-otp-resend" name="resend" label=(channel == "voice")?then("phoneOtpResendCall", link?then("phoneOtpResendLink", "phoneOtpResend")) disabled=!canResend/>
    <#if otherChannel?has_content && canResend>
        <@secondary id="phone-otp-switch-channel" name="channel" value=otherChannel
                    label=(otherChannel == "voice")?then("phoneOtpSwitchToVoice", "phoneOtpSwitchToSms")/>
    </#if>
</#macro>

<#-- Where a text message carried a link: that the page waits for the phone's answer (phone-otp-link.js
     asks the server, and presses "Continue" when the phone has answered or the link has expired), or
     that the link has expired and only "Send a new link" helps. Nothing where no link was sent. -->
<#macro linkState statusUrl expired>
    <#if statusUrl?has_content && expired>
        <p id="phone-otp-link-expired" class="${properties.kcLabelClass!}" style="text-align: start" aria-live="polite">${msg("phoneOtpLinkExpired")}</p>
    <#elseif statusUrl?has_content>
        <p id="phone-otp-link-waiting" class="${properties.kcLabelClass!}" style="text-align: start" aria-live="polite"
           data-status-url="${statusUrl}">${msg("phoneOtpLinkWaiting")}</p>
    </#if>
</#macro>

<#macro countdownScript>
    <script src="${url.resourcesPath}/js/phone-otp-countdown.js" defer></script>
</#macro>

<#-- A phone number inside a sentence: on a right-to-left page it is isolated (U+2066 ... U+2069),
     so "+", the digits and the masking stars keep their left-to-right order instead of being reordered. -->
<#function ltr value>
    <#if (locale.rtl)!false>
        <#return "\x2066" + value + "\x2069">
    </#if>
    <#return value>
</#function>
