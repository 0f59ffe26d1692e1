<#-- Code entry page of the phone-otp steps. -->
<#import "template.ftl" as layout>
<#import "phone-otp-commons.ftl" as phoneOtpUi>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
    <#if section="header">
        ${msg("phoneOtpCodeTitle")}
    <#elseif section="form">
        <#if phoneOtp.unproven>
            <#-- the same words whether or not the account exists -->
            <p id="phone-otp-sent-to" class="${properties.kcLabelClass!}" style="text-align: start"><#if phoneOtp.channel == "voice">${msg("phoneOtpCallingIfAccount")}<#else>${msg("phoneOtpCodeSentIfAccount")}</#if></p>
        <#elseif phoneOtp.codeSent>
            <p id="phone-otp-sent-to" class="${properties.kcLabelClass!}" style="text-align: start"><#if phoneOtp.channel == "voice">${msg("phoneOtpCallingTo", phoneOtpUi.ltr(phoneOtp.maskedPhone))}<#else>${msg("phoneOtpCodeSentTo", phoneOtpUi.ltr(phoneOtp.maskedPhone))}</#if></p>
        </#if>
        <form id="phone-otp-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <@phoneOtpUi.codeField codeLength=phoneOtp.codeLength/>
            <@phoneOtpUi.submit id="kc-login" name="login" label="doSubmit"/>
            <div class="${properties.kcFormGroupClass!}">
                <@phoneOtpUi.resendControls channel=phoneOtp.channel otherChannel=phoneOtp.otherChannel
                        canResend=phoneOtp.canResend resendWaitSeconds=phoneOtp.resendWaitSeconds/>
                <#if phoneOtp.anotherNumber>
                    <@phoneOtpUi.secondary id="phone-otp-another-number" name="anotherNumber" label="phoneOtpUseAnotherNumber"/>
                </#if>
            </div>
        </form>
        <@phoneOtpUi.countdownScript/>
    </#if>
</@layout.registrationLayout>
