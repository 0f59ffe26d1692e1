<#-- Code entry page of the phone-otp steps. Imports only template.ftl and uses the theme's kc* classes,
     so it renders under keycloak.v2, the legacy keycloak theme and custom themes alike. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
    <#if section="header">
        ${msg("phoneOtpCodeTitle")}
    <#elseif section="form">
        <#if phoneOtp.codeSent>
            <p id="phone-otp-sent-to" class="${properties.kcLabelClass!}"><#if phoneOtp.channel == "voice">${msg("phoneOtpCallingTo", phoneOtp.maskedPhone)}<#else>${msg("phoneOtpCodeSentTo", phoneOtp.maskedPhone)}</#if></p>
        </#if>
        <form id="phone-otp-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcLabelWrapperClass!}">
                    <label for="code" class="${properties.kcLabelClass!}">${msg("phoneOtpCodeLabel")}</label>
                </div>
                <div class="${properties.kcInputWrapperClass!}">
                    <input id="code" name="code" type="text" class="${properties.kcInputClass!}"
                           autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*"
                           maxlength="${phoneOtp.codeLength}" autofocus dir="ltr"
                           aria-invalid="<#if messagesPerField.existsError('code')>true</#if>" />
                    <#if messagesPerField.existsError('code')>
                        <#-- the helper-text wrappers are keycloak.v2's (empty properties elsewhere) and make the message red there -->
                        <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                            <div class="${properties.kcInputHelperTextClass!}">
                                <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}">
                                    <span id="input-error-code" class="${properties.kcInputErrorMessageClass!}">
                                        ${kcSanitize(messagesPerField.get('code'))?no_esc}
                                    </span>
                                </div>
                            </div>
                        </div>
                    </#if>
                </div>
            </div>

            <div class="${properties.kcFormGroupClass!}">
                <div id="kc-form-buttons" class="${properties.kcFormButtonsClass!}">
                    <input class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                           name="login" id="kc-login" type="submit" value="${msg("doSubmit")}" />
                </div>
            </div>

            <div class="${properties.kcFormGroupClass!}">
                <#if !phoneOtp.canResend>
                    <p id="phone-otp-no-more-sends" class="${properties.kcLabelClass!}">${msg("phoneOtpNoMoreSends")}</p>
                <#elseif phoneOtp.resendWaitSeconds gt 0>
                    <p id="phone-otp-resend-wait" class="${properties.kcLabelClass!}" aria-live="polite"
                       data-seconds="${phoneOtp.resendWaitSeconds?c}" data-template="${msg("phoneOtpResendIn", "{0}")}">${msg("phoneOtpResendIn", phoneOtp.resendWaitSeconds?c)}</p>
                </#if>
                <div class="${properties.kcFormButtonsClass!}">
                    <button class="${properties.kcButtonClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!}"
                            name="resend" id="phone-otp-resend" type="submit" value="true" formnovalidate
                            <#if !phoneOtp.canResend>disabled</#if>><#if phoneOtp.channel == "voice">${msg("phoneOtpResendCall")}<#else>${msg("phoneOtpResend")}</#if></button>
                </div>
                <#if phoneOtp.otherChannel?has_content && phoneOtp.canResend>
                    <div class="${properties.kcFormButtonsClass!}">
                        <button class="${properties.kcButtonClass!} ${properties.kcButtonDefaultClass!} ${properties.kcButtonBlockClass!}"
                                name="channel" id="phone-otp-switch-channel" type="submit" value="${phoneOtp.otherChannel}" formnovalidate>
                            <#if phoneOtp.otherChannel == "voice">${msg("phoneOtpSwitchToVoice")}<#else>${msg("phoneOtpSwitchToSms")}</#if>
                        </button>
                    </div>
                </#if>
            </div>
        </form>
        <script src="${url.resourcesPath}/js/phone-otp-countdown.js" defer></script>
    </#if>
</@layout.registrationLayout>
