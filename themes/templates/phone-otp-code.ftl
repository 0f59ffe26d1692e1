<#-- Code entry page of the phone-otp steps. -->
<#import "template.ftl" as layout>
<#import "phone-otp-commons.ftl" as phoneOtpUi>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
    <#if section="header">
        <#if phoneOtp.delivery == "link" && phoneOtp.linkStatusUrl?has_content>${msg("phoneOtpLinkPageTitle")}<#else>${msg("phoneOtpCodeTitle")}</#if>
    <#elseif section="form">
        <#assign delivery = phoneOtp.delivery>
        <#if phoneOtp.unproven>
            <#-- the same words whether or not the account exists -->
            <p id="phone-otp-sent-to" class="${properties.kcLabelClass!}" style="text-align: start"><#if phoneOtp.channel == "voice">${msg("phoneOtpCallingIfAccount")}<#elseif delivery == "link">${msg("phoneOtpLinkSentIfAccount")}<#else>${msg("phoneOtpCodeSentIfAccount")}</#if></p>
        <#elseif phoneOtp.codeSent>
            <p id="phone-otp-sent-to" class="${properties.kcLabelClass!}" style="text-align: start"><#if phoneOtp.channel == "voice">${msg("phoneOtpCallingTo", phoneOtpUi.ltr(phoneOtp.maskedPhone))}<#elseif delivery == "link">${msg("phoneOtpLinkSentTo", phoneOtpUi.ltr(phoneOtp.maskedPhone))}<#elseif delivery == "both">${msg("phoneOtpCodeLinkSentTo", phoneOtpUi.ltr(phoneOtp.maskedPhone))}<#else>${msg("phoneOtpCodeSentTo", phoneOtpUi.ltr(phoneOtp.maskedPhone))}</#if></p>
        </#if>
        <#assign linkSent = phoneOtp.linkStatusUrl?has_content>
        <#assign waitsForLink = linkSent && !phoneOtp.linkExpired>
        <@phoneOtpUi.linkState statusUrl=phoneOtp.linkStatusUrl expired=phoneOtp.linkExpired/>
        <form id="phone-otp-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#if delivery == "link" && linkSent>
                <#if waitsForLink>
                    <@phoneOtpUi.submit id="phone-otp-link-continue" name="linkContinue" label="doContinue"/>
                </#if>
            <#else>
                <@phoneOtpUi.codeField codeLength=phoneOtp.codeLength/>
                <@phoneOtpUi.submit id="kc-login" name="login" label="doSubmit"/>
            </#if>
            <div class="${properties.kcFormGroupClass!}">
                <#if delivery == "both" && waitsForLink>
                    <@phoneOtpUi.secondary id="phone-otp-link-continue" name="linkContinue" label="doContinue"/>
                </#if>
                <@phoneOtpUi.resendControls channel=phoneOtp.channel otherChannel=phoneOtp.otherChannel
                        canResend=phoneOtp.canResend resendWaitSeconds=phoneOtp.resendWaitSeconds link=(delivery == "link")/>
                <#if phoneOtp.anotherNumber>
                    <@phoneOtpUi.secondary id="phone-otp-another-number" name="anotherNumber" label="phoneOtpUseAnotherNumber"/>
                </#if>
            </div>
        </form>
        <#if waitsForLink>
            <script src="${url.resourcesPath}/js/phone-otp-link.js" defer></script>
        </#if>
        <@phoneOtpUi.countdownScript/>
    </#if>
</@layout.registrationLayout>
